"""Active content of a PDF, found by parsing it with pikepdf (qpdf), not by scanning its bytes.

A guide is opened on partners' computers, so anything that runs, launches,
carries or fetches something on opening is refused: JavaScript wherever it
hangs (open action, additional actions of the document, pages, annotations
and form fields, the document's named scripts, any `/JS`), launch actions,
XFA forms with scripts, embedded files, links to `javascript:`, `file:` or
other non-web addresses, and actions that open or send to a local file.

qpdf resolves every object the cross-reference table knows, including those
packed in object streams whatever their filters (ASCIIHex, ASCII85, Flate,
LZW...), and decodes `#xx` escapes in names, so the walk below sees each
dictionary as a reader would. It follows no reference: every indirect object
is visited once from the object list, and only its direct sub-objects are
walked, so a cycle cannot loop and each object costs one visit.

The file is opened by path and read on demand (qpdf maps or seeks it), never
loaded whole; only object streams and XFA packets are decoded, under the
memory caps set below.
"""

import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String
from pikepdf.settings import get_qpdf_limits, set_qpdf_limits

MAX_DECODED = 64 * 1024 * 1024
# qpdf's decoders stop at these sizes instead of inflating a compression bomb. The limits are
# process-wide (qpdf has no per-document ones); nothing else in the project uses pikepdf.
_MEMORY_LIMITS = ("flate_max_memory", "run_length_max_memory", "png_max_memory", "tiff_max_memory")


def bound_decoders():
    """Set qpdf's decoder limits that nobody set yet; done before each parse, not on import."""
    current = get_qpdf_limits()
    unset = {name: MAX_DECODED for name in _MEMORY_LIMITS if not current[name]}
    if unset:
        set_qpdf_limits(**unset)


# XFA packets are decoded only through filters that qpdf bounds or that shrink their input.
XFA_FILTERS = {Name.FlateDecode, Name.RunLengthDecode, Name.ASCIIHexDecode, Name.ASCII85Decode}
XFA_SCRIPT = re.compile(rb"<\s*(?:[A-Za-z_][\w.-]*:)?script[\s/>]", re.IGNORECASE)
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
WEB_SCHEMES = {"http", "https"}
FILE_ACTIONS = {Name.GoToR: "GoToR", Name.ImportData: "ImportData", Name.SubmitForm: "SubmitForm"}
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


class UnreadablePdfError(Exception):
    """qpdf cannot open the file; `password` tells a protected file from a damaged one."""

    def __init__(self, detail, *, password=False):
        super().__init__(detail)
        self.password = password


@dataclass
class ActiveContent:
    """What was found: kinds ("javascript", "launch", "xfa", "embedded_file", "uri", "file_action")."""

    kinds: set = field(default_factory=set)
    schemes: set = field(default_factory=set)  # of refused links
    actions: set = field(default_factory=set)  # of refused file actions

    def __bool__(self):
        return bool(self.kinds)


def find_active_content(path):
    """Parse the PDF at `path` and return its `ActiveContent`; raise `UnreadablePdfError` if qpdf cannot."""
    bound_decoders()
    try:
        pdf = pikepdf.open(path, conversion_mode="explicit")
    except pikepdf.PasswordError as error:
        raise UnreadablePdfError(str(error), password=True) from error
    except (pikepdf.PdfError, RecursionError, ValueError) as error:
        raise UnreadablePdfError(str(error).replace(f"{path}: ", "")) from error
    found = ActiveContent()
    with pdf:
        try:
            _check_catalog(pdf.Root, found)
            for obj in pdf.objects:
                for node in _direct_tree(obj):
                    _check_dictionary(node, found)
        except (pikepdf.PdfError, RecursionError) as error:
            raise UnreadablePdfError(str(error).replace(f"{path}: ", "")) from error
    return found


def _direct_tree(obj):
    """Every dictionary (or stream) in `obj` and its direct sub-objects; references are not followed."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, (Dictionary, Stream)):
            yield node
            children = node.values()
        elif isinstance(node, Array):
            children = node
        else:
            continue
        stack.extend(child for child in children if isinstance(child, (Dictionary, Array)) and not child.is_indirect)


def _check_catalog(root, found):
    names = root.get(Name.Names)
    if isinstance(names, Dictionary):
        if Name.JavaScript in names:
            found.kinds.add("javascript")
        if Name.EmbeddedFiles in names:
            found.kinds.add("embedded_file")


def _check_dictionary(node, found):
    subtype = node.get(Name.S)
    if Name.JS in node or subtype == Name.JavaScript:
        found.kinds.add("javascript")
    if subtype == Name.Launch:
        found.kinds.add("launch")
    if Name.EF in node or node.get(Name.Type) == Name.EmbeddedFile or node.get(Name.Subtype) == Name.FileAttachment:
        found.kinds.add("embedded_file")
    if subtype == Name.URI:
        scheme = _refused_link(_text(node.get(Name.URI)))
        if scheme is not None:
            found.kinds.add("uri")
            found.schemes.add(scheme)
    if subtype in FILE_ACTIONS and _opens_local_file(_target(node.get(Name.F))):
        found.kinds.add("file_action")
        found.actions.add(FILE_ACTIONS[subtype])
    if Name.XFA in node and _xfa_has_script(node.get(Name.XFA)):
        found.kinds.add("xfa")


def _text(value):
    if isinstance(value, (String, Name)):
        return str(value)
    return ""


def _target(spec):
    """The address or path a file specification points at (a string, or a dictionary's /UF or /F)."""
    if isinstance(spec, (Dictionary, Stream)):
        for key in (Name.UF, Name.F, Name.Unix, Name.DOS, Name.Mac):
            if key in spec:
                return _text(spec.get(key))
        return ""
    return _text(spec)


def _scheme(address):
    """The lower-case scheme of `address`, "path" for an absolute or network path, "" for a relative address.

    Spaces and control characters are dropped first, as browsers and viewers
    do (`java\\tscript:` is `javascript:`). An address that starts with a slash
    or a backslash names a file or a network share on the reader's computer.
    """
    address = INVISIBLE.sub("", address)
    match = SCHEME.match(address)
    if match:
        return match.group(1).lower()[:20]
    return "path" if address.startswith(("/", "\\")) else ""


def _refused_link(address):
    """The scheme of a link that is neither a web, mail or phone address nor relative; None if allowed."""
    scheme = _scheme(address)
    return None if scheme in SAFE_SCHEMES or not scheme else scheme


def _opens_local_file(address):
    """Whether a file action's target is anything but a web address (a path, `file:`, a share...)."""
    return _scheme(address) not in WEB_SCHEMES


def _xfa_has_script(xfa):
    """Whether the XFA packets (one stream, or an array of names and streams) hold a `<script>`.

    Packets are searched in order with an overlap, as together they are one
    XML document; a packet that cannot be decoded within the caps counts as
    a script, since it cannot be checked.
    """
    packets = [xfa] if isinstance(xfa, Stream) else [item for item in xfa if isinstance(item, Stream)]
    tail, total = b"", 0
    for packet in packets:
        filters = packet.get(Name.Filter)
        filters = list(filters) if isinstance(filters, Array) else [filters] if filters is not None else []
        if any(item not in XFA_FILTERS for item in filters):
            return True
        try:
            data = packet.read_bytes()
        except pikepdf.PdfError:
            return True
        total += len(data)
        if total > MAX_DECODED:
            return True
        data = tail + data
        if XFA_SCRIPT.search(data) or XFA_SCRIPT.search(data.replace(b"\x00", b"")):
            return True
        tail = data[-64:]
    return False
