"""What every Lobby app shares: the Qt application, fonts, background tasks, styles."""
