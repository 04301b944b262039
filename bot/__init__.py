"""Teams layer: the activity handler, the adapter set-up and the settings."""
