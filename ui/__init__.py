"""Qt apps of Lobby, one subpackage per app."""
