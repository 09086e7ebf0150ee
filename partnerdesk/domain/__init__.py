"""The nouns and rules of the journal. No Qt and no SQL live here."""
