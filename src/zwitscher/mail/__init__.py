"""Outgoing e-mail: messages composed from templates in the reader's language, and the ways
they leave (an SMTP server, or `.eml` files in a folder when none is configured).

Services never send: they queue a `SendMail` job in the transaction that causes the message
(`services/queue_mail.py`), and the job system composes and sends it (`jobs/handlers.py`),
retrying while the server is unreachable.
"""
