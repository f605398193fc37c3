"""The teller console (柜员): call, confirm, serve, transfer, rate."""
