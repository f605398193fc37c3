"""The hall display (叫号屏): calls customers see and hear."""
