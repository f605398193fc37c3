"""Hardware adapters (printer, speech) behind small protocols; the core never imports them."""
