"""Uploading images: what is served is a clean re-encoding of what was sent, refused uploads
leave nothing behind, and only the uploader sees an upload before it is posted."""

from __future__ import annotations

import io
import secrets

import httpx
import pytest
from mastodon import MastodonAPIError
from PIL import Image

from media_support import (
    GPS_IFD,
    fetch_image,
    image_bytes,
    jpeg_with_gps,
    stored_files,
    upload,
)
from support import ServerProcess, UserFactory, wait_until

MB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def test_a_photo_is_served_upright_without_its_gps_position_or_any_exif(new_user):
    alice = new_user()
    media = alice.api.media_post(jpeg_with_gps(), mime_type="image/jpeg",
                                 description="Unser Büro")
    assert media["type"] == "image" and media["description"] == "Unser Büro"
    response, served = fetch_image(media["url"])
    assert response.headers["content-type"] == "image/jpeg"
    assert "immutable" in response.headers["cache-control"]
    assert served.format == "JPEG"
    assert dict(served.getexif()) == {} and not served.getexif().get_ifd(GPS_IFD)
    assert b"Spycam" not in response.content and b"Exif" not in response.content
    assert "exif" not in served.info and "icc_profile" not in served.info
    # Turned by its orientation before the EXIF went: 300x200 on its side is 200x300.
    assert served.size == (200, 300)
    assert media["meta"]["original"] == {"width": 200, "height": 300, "size": "200x300",
                                         "aspect": 200 / 300}
    _, preview = fetch_image(media["preview_url"])
    assert preview.size == (media["meta"]["small"]["width"], media["meta"]["small"]["height"])
    assert isinstance(media["blurhash"], str) and len(media["blurhash"]) >= 6


@pytest.mark.parametrize("fmt, sent_type, served_type", [
    ("PNG", "image/png", "image/png"),
    ("WEBP", "image/webp", "image/webp"),
    # GIFs keep their first frame, as PNG.
    ("GIF", "image/gif", "image/png"),
])
def test_png_webp_and_gif_uploads_are_served_re_encoded(new_user, fmt, sent_type, served_type):
    alice = new_user()
    media = alice.api.media_post(image_bytes(fmt, (1280, 400)), mime_type=sent_type)
    response, served = fetch_image(media["url"])
    assert response.headers["content-type"] == served_type
    assert served.size == (1280, 400)
    _, preview = fetch_image(media["preview_url"])
    assert preview.size == (640, 200)
    assert media["meta"]["small"]["size"] == "640x200"


def test_the_v1_endpoint_uploads_too(new_user):
    alice = new_user()
    response = alice.http.post("/api/v1/media", files={
        "file": ("a.png", image_bytes("PNG"), "image/png")})
    assert response.status_code == 200, response.text
    assert response.json()["url"].endswith(".png")


def test_the_format_is_read_from_the_content_not_the_name_or_type(new_user):
    alice = new_user()
    response = upload(alice, image_bytes("PNG"), "image/jpeg", "holiday.jpg")
    assert response.status_code == 200, response.text
    assert fetch_image(response.json()["url"])[1].format == "PNG"


def test_description_and_focus_can_be_changed_until_posted(new_user):
    alice = new_user()
    media = alice.api.media_post(image_bytes("PNG"), mime_type="image/png")
    changed = alice.api.media_update(media, description="Zwei Katzen", focus=(0.5, -0.25))
    assert changed["description"] == "Zwei Katzen"
    assert changed["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    again = alice.api.media(media)
    assert again["description"] == "Zwei Katzen" and again["meta"]["focus"]["x"] == 0.5


def test_bad_descriptions_and_focus_points_are_422_and_change_nothing(new_user):
    alice = new_user()
    media = alice.api.media_post(image_bytes("PNG"), mime_type="image/png",
                                 description="vorher")
    for fields in ({"description": "x" * 1501}, {"focus": "2,0"}, {"focus": "a,b"},
                   {"focus": "0.1"}, {"focus": "nan,0"}, {"focus": "0,0,0"}):
        response = alice.http.put(f"/api/v1/media/{media['id']}", data=fields)
        assert response.status_code == 422, (fields, response.text)
        assert response.json()["error"]
    unchanged = alice.api.media(media)
    assert unchanged["description"] == "vorher" and unchanged["meta"]["focus"] == {"x": 0,
                                                                                  "y": 0}
    response = upload(alice, image_bytes("PNG"), focus="5,5")
    assert response.status_code == 422


def test_only_the_uploader_sees_or_changes_an_unposted_upload(new_user):
    alice, mallory = new_user(), new_user()
    media = alice.api.media_post(image_bytes("PNG"), mime_type="image/png", description="privat")
    path = f"/api/v1/media/{media['id']}"
    assert mallory.http.get(path).status_code == 404
    assert mallory.http.put(path, data={"description": "meins"}).status_code == 404
    assert mallory.http.delete(path).status_code == 404
    assert httpx.get(f"{alice.http.base_url}{path}").status_code == 401
    assert alice.api.media(media)["description"] == "privat"
    assert alice.http.get("/api/v1/media/nonsense").status_code == 404


def test_an_upload_can_be_deleted_before_it_is_posted(server, new_user):
    alice = new_user()
    media = alice.api.media_post(image_bytes("PNG"), mime_type="image/png")
    assert alice.http.delete(f"/api/v1/media/{media['id']}").status_code == 200
    assert alice.http.get(f"/api/v1/media/{media['id']}").status_code == 404
    assert wait_until(lambda: httpx.get(media["url"]).status_code == 404)


def assert_nothing_stored(server, user, attempt, status: int) -> None:
    before = stored_files(server)
    response = attempt()
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]
    assert stored_files(server) == before


def test_text_that_claims_to_be_a_png_is_422_and_nothing_is_stored(server, new_user):
    alice = new_user()
    for data, name, content_type in [
            (b"just some text, honestly\n" * 20, "x.png", "image/png"),
            (image_bytes("PNG")[:60], "cut.png", "image/png"),
            (image_bytes("BMP"), "old.bmp", "image/bmp"),
            (image_bytes("TIFF"), "scan.tif", "image/tiff"),
            (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg", "image/svg+xml"),
            (b"", "empty.png", "image/png")]:
        assert_nothing_stored(server, alice, lambda d=data, n=name, t=content_type: upload(
            alice, d, t, n), 422)
    with pytest.raises(MastodonAPIError):
        alice.api.media_post(b"GIF89a but not really", mime_type="image/gif")


def test_a_decompression_bomb_is_422_before_it_is_unpacked(server, new_user):
    alice = new_user()
    # 100 million pixels in a few kilobytes.
    bomb = image_bytes("PNG", (10_000, 10_000), mode="1", color=0)
    assert len(bomb) < 100_000
    assert_nothing_stored(server, alice, lambda: upload(alice, bomb), 422)


def test_a_request_without_a_file_is_422(server, new_user):
    alice = new_user()
    assert_nothing_stored(server, alice, lambda: alice.http.post(
        "/api/v2/media", data={"description": "no file"}), 422)
    assert_nothing_stored(server, alice, lambda: alice.http.post(
        "/api/v2/media", json={"file": "aGVsbG8="}), 422)


def test_a_fifty_megabyte_upload_is_413_with_or_without_content_length(server, new_user):
    alice = new_user()
    boundary = "zwitscherboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}

    def chunks():
        yield head + image_bytes("PNG")
        for _ in range(50):
            yield b"\0" * MB
        yield tail

    def chunked():
        response = alice.http.post("/api/v2/media", content=chunks(), headers=headers)
        assert response.request.headers["transfer-encoding"] == "chunked"
        return response

    def announced():
        # The length is told up front: refused before a byte of the body is read.
        return alice.http.post("/api/v2/media", content=chunks(), headers={
            **headers, "content-length": str(len(head) + len(image_bytes("PNG")) + 50 * MB
                                             + len(tail))})

    assert_nothing_stored(server, alice, announced, 413)
    assert_nothing_stored(server, alice, chunked, 413)


def test_a_file_over_the_media_limit_is_413_even_inside_a_small_body(server, new_user,
                                                                      tmp_path):
    small = ServerProcess(server.env | {"ZWITSCHER_MAX_MEDIA_BYTES": "20000",
                                        "ZWITSCHER_DATA_DIR": str(tmp_path)})
    small.start()
    try:
        alice = UserFactory(small).create()
        noisy = Image.frombytes("L", (200, 200), secrets.token_bytes(40_000))
        buffer = io.BytesIO()
        noisy.save(buffer, "PNG")
        assert 20_000 < len(buffer.getvalue()) < 60_000
        response = upload(alice, buffer.getvalue())
        assert response.status_code == 413, response.text
        assert stored_files(small) == set()
        limits = httpx.get(f"{small.base_url}/api/v2/instance").json()
        assert limits["configuration"]["media_attachments"]["image_size_limit"] == 20000
    finally:
        small.stop()


def test_the_instance_states_the_real_media_limits(server):
    config = httpx.get(f"{server.base_url}/api/v2/instance").json()["configuration"]
    media = config["media_attachments"]
    assert set(media["supported_mime_types"]) == {"image/jpeg", "image/png", "image/gif",
                                                  "image/webp", "application/pdf"}
    assert media["image_size_limit"] == 16 * MB
    assert media["image_matrix_limit"] > 0 and media["description_limit"] == 1500
    assert config["statuses"]["max_media_attachments"] == 4


def test_media_files_that_do_not_exist_are_404(server):
    for path in ("/media/ab/" + "x" * 32 + ".png", "/media/../zwitscher.sqlite3",
                 "/media/%2e%2e/zwitscher.sqlite3", "/media/serve-1.log"):
        response = httpx.get(server.base_url + path)
        assert response.status_code == 404, path
