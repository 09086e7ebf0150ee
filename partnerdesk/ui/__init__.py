"""The window: the only package that imports Qt. It calls the same core as the command line."""
