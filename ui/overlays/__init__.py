"""Small panels drawn over the video: the modifier picker and the notice of a refused key."""
