"""The command line: parses, calls services, prints. Nothing else lives here."""
