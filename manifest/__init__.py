"""The Teams app manifest, its icons and the command that builds the app package."""
