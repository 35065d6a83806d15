"""CRM: customer lists built on the shared reporting views of the company's database."""
