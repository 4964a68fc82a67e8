"""Use cases: each public function owns one transaction or one question to the database."""
