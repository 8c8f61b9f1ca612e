"""The media player: exact frames on screen, transport, sound, several cameras."""
