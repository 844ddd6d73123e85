"""The XML documents S3 requests carry (a delete list, CORS or lifecycle rules, tags, the
parts of a multipart upload), checked before moto reads them.

moto parses them with the standard library, which expands a DTD's entities, and fails with
a 500 on a document of the wrong kind (``<x/>`` as a lifecycle). S3 answers both with
``MalformedXML`` (400). Each document is parsed here first with :mod:`defusedxml` (no DTD,
no entity, no external reference), its root element compared with the one S3 expects for
the request and, for the common ones, the child S3's schema requires looked for; a
document too large for S3 is ``MaxMessageLengthExceeded``.
"""

from __future__ import annotations

import urllib.parse
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MALFORMED_XML = (
    "The XML you provided was not well-formed or did not validate against our published schema."
)
# S3 refuses configuration documents past a few MiB; a delete of 1000 long keys fits in 2.
MAX_DOCUMENT_BYTES = 2 * 2**20

# The root element of the document each subresource takes, as S3 names it.
_ROOTS = {
    "delete": "Delete",
    "cors": "CORSConfiguration",
    "lifecycle": "LifecycleConfiguration",
    "tagging": "Tagging",
    "versioning": "VersioningConfiguration",
    "notification": "NotificationConfiguration",
    "website": "WebsiteConfiguration",
    "acl": "AccessControlPolicy",
    "encryption": "ServerSideEncryptionConfiguration",
    "logging": "BucketLoggingStatus",
    "replication": "ReplicationConfiguration",
    "accelerate": "AccelerateConfiguration",
    "requestPayment": "RequestPaymentConfiguration",
    "ownershipControls": "OwnershipControls",
    "publicAccessBlock": "PublicAccessBlockConfiguration",
    "object-lock": "ObjectLockConfiguration",
    "retention": "Retention",
    "legal-hold": "LegalHold",
    "restore": "RestoreRequest",
}

# What S3's schema requires in a document: at least one of this child.
_REQUIRED_CHILD = {
    "Delete": "Object",
    "CORSConfiguration": "CORSRule",
    "LifecycleConfiguration": "Rule",
    "Tagging": "TagSet",
    "CompleteMultipartUpload": "Part",
}


class XmlRefused(Exception):
    """A document S3 would refuse: ``status``, ``code``, ``message`` of S3's error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def expected_root(method: str, path: str, query: str) -> str | None:
    """The root element of the XML document this request's body is, or None when its body
    is no XML document (an object's data, a part)."""
    if method not in ("PUT", "POST"):
        return None
    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    for name, root in _ROOTS.items():
        if name in params:
            return root
    if method == "POST" and "uploadId" in params:
        return "CompleteMultipartUpload"
    if method == "PUT" and not params and "/" not in path.strip("/"):
        return "CreateBucketConfiguration"
    return None


def check_document(body: IO[bytes], root: str) -> None:
    """Read ``body`` (from where it stands) as the document ``root`` names.

    Raises:
        XmlRefused: too large, not well-formed, with a DTD or entity, or another document.
    """
    data = body.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise XmlRefused(400, "MaxMessageLengthExceeded", "Your request was too big.")
    try:
        element = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException):
        raise XmlRefused(400, "MalformedXML", MALFORMED_XML) from None
    if _local(element.tag) != root:
        raise XmlRefused(400, "MalformedXML", MALFORMED_XML)
    required = _REQUIRED_CHILD.get(root)
    if required and not any(_local(child.tag) == required for child in element):
        raise XmlRefused(400, "MalformedXML", MALFORMED_XML)


def _local(tag: str) -> str:
    """An element's name without its namespace (S3's documents may carry one or none)."""
    return tag.rsplit("}", 1)[-1]
