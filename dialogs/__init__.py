"""Guided conversations: one botbuilder-dialogs ComponentDialog per flow."""
