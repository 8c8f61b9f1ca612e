"""The coding and rating panels beside the video."""
