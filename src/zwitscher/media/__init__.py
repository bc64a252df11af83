"""Uploaded images: decoding and re-encoding them (`images`), and keeping the files (`store`)."""
