"""The Internship Field Guide's static-site generator."""
