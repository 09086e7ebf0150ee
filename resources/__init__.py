"""Files the app ships with (the icon in SVG and PNG sizes), read with importlib.resources."""
