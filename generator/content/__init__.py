"""Reading and validating the sources under content/."""
