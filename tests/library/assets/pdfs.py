"""PDFs with active content, built with pikepdf at run time for the guide checks (no binary fixture)."""

import binascii
import io
import re
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String

ALERT = "app.alert('bonjour')"


def _js():
    return Dictionary(S=Name.JavaScript, JS=String(ALERT))


def _link(pdf, action):
    page = pdf.pages[0]
    page.obj.Annots = pdf.make_indirect(
        Array([pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[10, 10, 90, 30], A=action))])
    )


def build(change=None, *, object_streams=False):
    """A one-page PDF with some text, `change(pdf)` applied, saved with or without object streams."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Resources = Dictionary(
        Font=Dictionary(F1=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    )
    page.obj.Contents = pdf.make_stream(b"BT /F1 24 Tf 20 100 Td (Bonjour) Tj ET")
    if change is not None:
        change(pdf)
    buffer = io.BytesIO()
    if object_streams:
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=False)
    else:
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return buffer.getvalue()


def js_open_action(pdf):
    pdf.Root.OpenAction = _js()


def js_open_action_indirect(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(_js())


def page_additional_action(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=_js())


def named_javascript(pdf):
    tree = Dictionary(Names=Array([String("bienvenue"), pdf.make_indirect(_js())]))
    pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(tree))


def launch(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("calc.exe"))


XFA_TEMPLATE = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">'
    b'<subform name="form1"><field name="a"><event activity="initialize">'
    b'<script contentType="application/x-javascript">app.alert(1)</script></event></field></subform>'
    b"</template></xdp:xdp>"
)


def xfa_script(pdf):
    packet = pdf.make_stream(XFA_TEMPLATE)
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=Array([String("template"), packet]))


def embedded_file(pdf):
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"notes de l'atelier", mime_type="text/plain")


def file_attachment_annotation(pdf):
    spec = pikepdf.AttachedFileSpec(pdf, b"notes", mime_type="text/plain")
    annotation = Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[10, 10, 30, 30], FS=spec.obj)
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])


def javascript_link(pdf):
    _link(pdf, Dictionary(S=Name.URI, URI=String("java\tscript:app.alert(1)")))


def file_link(pdf):
    _link(pdf, Dictionary(S=Name.URI, URI=String("file:///C:/Windows/System32/calc.exe")))


def remote_goto_share(pdf):
    _link(pdf, Dictionary(S=Name.GoToR, F=String("\\\\192.0.2.1\\partage\\guide.pdf"), D=Array([0, Name.Fit])))


def web_link(pdf):
    _link(pdf, Dictionary(S=Name.URI, URI=String("https://www.passeursdimages.fr/ressources")))


def _encoders(filters):
    encode = {"/FlateDecode": zlib.compress, "/ASCIIHexDecode": lambda data: binascii.hexlify(data) + b">"}
    return [encode[name] for name in reversed(filters)]


def with_encoded_object_stream(data, filters):
    """`data` (saved by `build(object_streams=True)`) with its object stream re-encoded through `filters`.

    qpdf always writes object streams Flate-compressed or plain; this puts the
    objects behind other filters (ASCIIHex, then Flate...), then moves the
    cross-reference stream's offsets and `startxref` by the bytes it added, so
    the file stays valid.
    """
    head = re.search(rb"(\d+) 0 obj\n<< /Type /ObjStm /Length (\d+)( [^>]*)>>\nstream\n", data)
    assert head and data.count(b"/Type /ObjStm") == 1, "expected one uncompressed object stream"
    length = int(head.group(2))
    payload = data[head.end() : head.end() + length]
    for encode in _encoders(filters):
        payload = encode(payload)
    new_head = b"%s 0 obj\n<< /Type /ObjStm /Length %d /Filter [ %s ]%s>>\nstream\n" % (
        head.group(1),
        len(payload),
        " ".join(filters).encode(),
        head.group(3),
    )
    out = bytearray(data[: head.start()] + new_head + payload + data[head.end() + length :])
    shift = len(out) - len(data)
    xref = re.search(rb"<< /Type /XRef /Length (\d+) /W \[ 1 (\d) (\d) \].*?>>\nstream\n", bytes(out), re.DOTALL)
    assert xref and xref.start() > head.start()
    offset_width, index_width = int(xref.group(2)), int(xref.group(3))
    row = 1 + offset_width + index_width
    rows = out[xref.end() : xref.end() + int(xref.group(1))]
    for start in range(0, len(rows), row):
        if rows[start] == 1:
            offset = int.from_bytes(rows[start + 1 : start + 1 + offset_width], "big")
            if offset > head.start():
                rows[start + 1 : start + 1 + offset_width] = (offset + shift).to_bytes(offset_width, "big")
    out[xref.end() : xref.end() + len(rows)] = rows
    startxref = re.search(rb"startxref\n(\d+)\n", bytes(out))
    out[startxref.start(1) : startxref.end(1)] = str(int(startxref.group(1)) + shift).encode()
    return bytes(out)
