using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Workflows.Assets;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// One generated <c>POST /api/assets</c> (or a wrong method on its route). <see cref="Expected"/> holds the statuses it
/// may get when its parts decide it by construction (empty: anything below 500); <see cref="ServerName"/> is the file
/// name as the server reads it from the query (null: none sent); <see cref="MustBeReady"/> marks a real image sent as
/// itself, which must end Ready.
/// </summary>
internal sealed record UploadRequest(
    string Kind, string Method, string PathAndQuery, string? ContentType, byte[] Body, bool Chunked, string? KeyHeader,
    string? FileNameHeader, int[] Expected, string? ServerName, bool MustBeReady)
{
    public override string ToString() =>
        $"{Kind}: {Method} {PathAndQuery} type={ContentType ?? "-"} {Body.Length} bytes{(Chunked ? " chunked" : string.Empty)} " +
        $"key={KeyHeader ?? "-"} filename={FileNameHeader ?? "-"} head={Convert.ToHexString(Body.AsSpan(0, Math.Min(16, Body.Length)))} " +
        $"(expect {(Expected.Length == 0 ? "< 500" : string.Join("/", Expected))})";
}

/// <summary>
/// <c>POST /api/assets</c> requests built from parts, each valid, invalid (with the status the endpoint must answer) or
/// undecided by construction: the method, the function key (header, <c>code</c> parameter, none, wrong), the declared
/// Content-Type (every accepted one in any case with parameters, others, multipart, none, garbage), a Content-Length or
/// chunked, the <c>name</c> (valid, reserved blob names, path traversal, control characters, too long, any string,
/// repeated) and a Content-Disposition filename, and the body (every accepted format's real file, empty, one byte, each
/// format's header cut short, another format's magic, seeded mutations, random bytes, text, multipart, sizes at and
/// over the limit). The first invalid part in the endpoint's order of checks decides the status.
/// </summary>
internal static class UploadFuzz
{
    private const string Route = "/api/assets";
    private const string MultipartType = "multipart/form-data; boundary=fuzz";

    private static readonly IReadOnlyList<(string Format, string Extension, byte[] Content)> Seeds = ImageSeeds.Originals();

    private static readonly string[] OtherTypes =
        ["application/octet-stream", MultipartType, "text/plain", "image/svg+xml", "application/pdf", "image/*", "*/*", "image/jpg", "jpeg"];

    // Names that are data, never blob names: each is a valid file name and must be accepted.
    private static readonly string[] ReservedNames =
        ["$root", "$logs", "$web", "con", "nul.jpg", "aux", "com1.png", "desktop.ini", ".jpg", "-", "a.", "photo.jpg ", "%2e%2e", "~", "http-0123456789abcdef0123456789abcdef"];

    private static readonly string[] InvalidNames =
        ["", " ", ".", "..", "...", "../../etc/passwd", "..\\..\\boot.ini", "a/b.jpg", "/abs.jpg", "a\\b.jpg", "x/../../y.jpg", "a\u0001.jpg", "a\r\nb.jpg", "\u0000", "tab\t.jpg", "del\u007f.jpg", "\u0085next.jpg"];

    /// <summary>One part of a request: valid (<paramref name="Forces"/> null), or the statuses it forces (empty: not known by construction).</summary>
    private sealed record Part<T>(T Value, string Kind, int[]? Forces);

    public static Gen<UploadRequest> Requests(string functionKey, long maxBytes) =>
        from method in Gen.Frequency((30, Gen.Constant("POST")), (1, Gen.Elements("PUT", "PATCH", "DELETE")))
        from key in Keys(functionKey)
        from body in Bodies(maxBytes)
        from type in body.Kind == "multipart" ? Gen.Constant(new Part<string?>(MultipartType, "type", [415])) : ContentTypes(body.Value.Format)
        from chunked in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from name in Names
        from fileName in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Gen.OneOf(Gen.Elements(InvalidNames), Gen.Elements(ReservedNames)).Select(n => (string?)n)))
        select Build(method, key, type, chunked, name, fileName, body, maxBytes);

    private static UploadRequest Build(
        string method, Part<(string? Header, string? Code)> key, Part<string?> type, bool chunked,
        Part<(string? Query, string? ServerName)> name, string? fileName, Part<(byte[] Content, string? Format, bool Original)> body, long maxBytes)
    {
        // The endpoint's order of checks: route and method, key (the host), declared type, declared length, name, body.
        int[]? declaredLength = !chunked && body.Value.Content.Length > maxBytes ? [413] : null;
        var parts = new (string Kind, int[]? Forces)[]
        {
            ("method", method == "POST" ? null : [404, 405]), (key.Kind, key.Forces), (type.Kind, type.Forces),
            ("length", declaredLength), (name.Kind, name.Forces), (body.Kind, body.Forces),
        };
        var deciding = parts.FirstOrDefault(p => p.Forces is not null);
        var expected = deciding.Forces ?? [202];
        var query = new List<string>();
        if (key.Value.Code is { } code)
        {
            query.Add("code=" + Uri.EscapeDataString(code));
        }

        if (name.Value.Query is { } nameQuery)
        {
            query.Add(nameQuery);
        }

        var path = Route + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query));
        var kind = method == "POST" ? body.Kind : $"method {method}";
        return new UploadRequest(
            kind, method, path, type.Value, body.Value.Content, chunked, key.Value.Header, fileName, expected, name.Value.ServerName,
            MustBeReady: body.Value.Original && expected is [202]);
    }

    private static Gen<Part<(string? Header, string? Code)>> Keys(string functionKey) => Gen.Frequency(
        (20, Gen.Constant(new Part<(string?, string?)>((functionKey, null), "key header", null))),
        (3, Gen.Constant(new Part<(string?, string?)>((null, functionKey), "key code", null))),
        (1, Gen.Constant(new Part<(string?, string?)>((null, null), "no key", [401]))),
        (1, JsonFuzz.HeaderText.Where(k => k.Length > 0 && k != functionKey).Select(k => new Part<(string?, string?)>((k, null), "wrong key", [401]))));

    // The detected format's own type, any accepted type (the content decides), or one that is not accepted.
    private static Gen<Part<string?>> ContentTypes(string? format)
    {
        var accepted = ImageFormats.UploadContentTypes.Keys.ToArray();
        var own = format is null ? null : ContentTypeOf(Seeds.Single(s => s.Format == format).Extension);
        return Gen.Frequency(
            (8, Gen.Constant(new Part<string?>(own ?? "image/jpeg", "type", null))),
            (4, from t in Gen.Elements(accepted) from upper in Gen.Elements(false, true) from parameter in Gen.Elements("", "; charset=binary", ";q=1", " ; name=\"x.jpg\"")
                select new Part<string?>((upper ? t.ToUpperInvariant() : t) + parameter, "type", null)),
            (2, Gen.Elements(OtherTypes).Select(t => new Part<string?>(t, "type", [415]))),
            (1, Gen.Constant(new Part<string?>(null, "type", [415]))),
            (1, JsonFuzz.HeaderText.Select(t => new Part<string?>(t, "type", []))));
    }

    // Letters and digits of several scripts, spaces, dashes, dots inside, an extension; 1-200 characters.
    private static Gen<string> ValidNames { get; } =
        from stem in Gen.Elements("photo", "IMG_0001", "Ünïcödé", "日本語の写真", "😀 smile", "a", "holiday 2026 (1)", "x-y_z.final")
        from repeat in Gen.Choose(1, 20)
        from extension in Gen.Elements(".jpg", ".PNG", ".heic", "", ".tar.gz")
        select string.Concat(Enumerable.Repeat(stem, repeat))[..Math.Min(repeat * stem.Length, 190)] + extension;

    private static Gen<Part<(string? Query, string? ServerName)>> Names { get; } = Gen.Frequency(
        (4, Gen.Constant(new Part<(string?, string?)>((null, null), "name", null))),
        (4, ValidNames.Select(n => Named(n, null))),
        (2, Gen.Elements(ReservedNames).Select(n => Named(n, null))),
        (2, Gen.OneOf(Gen.Elements(InvalidNames), Gen.Choose(AssetNames.MaxOriginalNameLength + 1, 5000).Select(n => new string('n', n)))
            .Select(n => Named(n, [400]))),
        (2, JsonFuzz.Text.Where(t => Uri.EscapeDataString(t).Length <= 6000).Select(n => Named(n, []))),
        (1, from a in ValidNames from b in ValidNames
            select new Part<(string?, string?)>(($"name={Uri.EscapeDataString(a)}&name={Uri.EscapeDataString(b)}", $"{a},{b}"), "name", [])));

    private static Part<(string?, string?)> Named(string name, int[]? forces)
    {
        // What the server reads back: the client's percent-encoding replaces a lone surrogate.
        var escaped = Uri.EscapeDataString(name);
        return new Part<(string?, string?)>(("name=" + escaped, Uri.UnescapeDataString(escaped)), "name", forces);
    }

    private static Gen<Part<(byte[] Content, string? Format, bool Original)>> Bodies(long maxBytes) => Gen.Frequency(
        (6, Gen.Elements(Seeds.ToArray()).Select(s => Body($"original {s.Format}", s.Content, s.Format, null, original: true))),
        (1, Gen.Constant(Body("empty", [], null, [400]))),
        (1, Gen.Choose(0, 255).Select(b => Body("one byte", [(byte)b], null, [415]))),
        (3, from s in Gen.Elements(Seeds.ToArray()) from cut in Gen.Choose(1, Math.Min(s.Content.Length - 1, FormatSniffer.HeaderLength + 64))
            select Body($"header cut {s.Format}", s.Content[..cut], s.Format, [])),
        (2, from s in Gen.Elements(Seeds.ToArray()) from other in Gen.Elements(Seeds.Where(o => o.Format != s.Format).ToArray()) from length in Gen.Choose(2, 16)
            select Body("lying magic", [.. other.Content.AsSpan(0, length), .. s.Content.AsSpan(length)], other.Format, [])),
        (3, from s in Gen.Elements(Seeds.ToArray()) from seed in Gen.Choose(0, int.MaxValue)
            select Mutated(s.Format, s.Content, seed)),
        (1, Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Where(b => b.Length > 1).Select(b => Body("random bytes", b, null, []))),
        (1, JsonFuzz.Text.Where(t => t.Length > 0).Select(t => Body("text", Encoding.UTF8.GetBytes(t), null, []))),
        (1, Gen.Elements(Seeds.ToArray()).Select(s => Body("multipart", Multipart(s), null, [415]))),
        (1, Gen.Choose(0, 2).Select(under => Body("at the limit", JpegLike(maxBytes - under), "jpeg", null))),
        (1, Gen.Choose(1, 70_000).Select(over => Body("over the limit", JpegLike(maxBytes + over), "jpeg", [413]))));

    private static Part<(byte[], string?, bool)> Body(string kind, byte[] content, string? format, int[]? forces, bool original = false) =>
        new((content, format, original), kind, forces);

    // One seeded mutation of the image corpus (bit flips, a truncation, a size or a format that lies, huge EXIF).
    private static Part<(byte[], string?, bool)> Mutated(string format, byte[] original, int seed)
    {
        var random = new Random(seed);
        var mutations = ImageMutations.Of(format, original, random, bitFlips: 1).ToList();
        var (mutation, content) = mutations[random.Next(mutations.Count)];
        return Body($"mutated ({mutation})", content, format, []);
    }

    // A multipart/form-data body with the image as a file part (the endpoint takes the raw image only).
    private static byte[] Multipart((string Format, string Extension, byte[] Content) seed)
    {
        var head = Encoding.ASCII.GetBytes($"--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo{seed.Extension}\"\r\nContent-Type: {ContentTypeOf(seed.Extension)}\r\n\r\n");
        return [.. head, .. seed.Content, .. "\r\n--fuzz--\r\n"u8];
    }

    // A JPEG start-of-image marker, then zeros: only its size matters to the endpoint (the pipeline rejects it).
    private static byte[] JpegLike(long length)
    {
        var content = new byte[length];
        (content[0], content[1], content[2], content[3]) = (0xFF, 0xD8, 0xFF, 0xE0);
        return content;
    }

    private static string ContentTypeOf(string extension) => ImageFormats.UploadContentTypes.First(t => t.Value == extension).Key;
}
