"""What people are told, shared by the web pages and the JSON API.

Labels and messages for codes the services return (why no ride fits, what became of a ride,
what is wrong with a record), report labels, RFC 9457 problem bodies and the town's time zone.
Both ``carshare.web`` and ``carshare.api`` import from here; neither imports the other.
Nothing here reads or writes the database.
"""
