"""Input and output: a reader per format, the outputs a scan writes, files written safely, the text store."""
