"""The report and its renderings: JSON, the terminal summary, HTML; and the escaping that keeps them safe."""
