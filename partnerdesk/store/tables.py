"""Typed row classes over the tables that schema.py creates (the schema itself lives there)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class VendorRow(SQLModel, table=True):
    __tablename__ = "vendor"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    programme: str = ""
    tier: str = ""
    notes: str = ""
    archived: bool = False
    acquirer_id: int | None = Field(default=None, foreign_key="vendor.id")
    acquired_on: str | None = None
    created_at: int
    updated_at: int


class VendorDomainRow(SQLModel, table=True):
    __tablename__ = "vendor_domain"
    domain: str = Field(primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id")


class ContactRow(SQLModel, table=True):
    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id")
    name: str
    role: str = "other"
    email: str = ""
    phone: str = ""
    active_from: str | None = None
    active_to: str | None = None
    created_at: int
    updated_at: int


class VendorEventRow(SQLModel, table=True):
    __tablename__ = "vendor_event"
    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id")
    occurred_on: str
    kind: str
    text: str = ""
    created_at: int


class InteractionRow(SQLModel, table=True):
    """Mapped for completeness and schema checks; the hot paths use Core SQL (see interactions.py)."""

    __tablename__ = "interaction"
    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id")
    occurred_at: int
    channel: str
    direction: str
    tag: str
    quality: int | None = None
    summary: str
    notes: str = ""
    topics: str = ""
    people: str = ""
    follow_up_due: str | None = None
    follow_up_text: str = ""
    follow_up_owner: str | None = None
    follow_up_done_at: int | None = None
    source: str = "manual"
    source_id: str | None = None
    created_at: int
    updated_at: int


class InteractionContactRow(SQLModel, table=True):
    __tablename__ = "interaction_contact"
    interaction_id: int = Field(primary_key=True, foreign_key="interaction.id")
    contact_id: int = Field(primary_key=True, foreign_key="contact.id")
