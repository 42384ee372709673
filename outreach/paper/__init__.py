"""The paper channel: numbered blank forms and their serials."""
