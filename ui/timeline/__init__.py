"""The timeline: behaviours by subject over time, episodes, the playhead."""
