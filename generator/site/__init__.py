"""What the site shows, and the pipeline that check and the build share."""
