"""The editors' command line and its checks."""
