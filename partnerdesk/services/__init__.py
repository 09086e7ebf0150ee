"""Use-cases over the store, shared by the command line and the window."""
