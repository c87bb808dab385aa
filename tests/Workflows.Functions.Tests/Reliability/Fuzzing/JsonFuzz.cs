using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>Generators of JSON text and of the strings clients send: hostile, odd and plain.</summary>
internal static class JsonFuzz
{
    /// <summary>Strings: empty, unicode, control characters, a lone surrogate, markup, path tricks, thousands of characters.</summary>
    public static Gen<string> Text { get; } = Gen.OneOf(
        Gen.Elements(
            "", " ", "a", "null", "0", "tok_approve", "GB", "ünïcödé", "日本語", "😀", "\u0000", "\u001f\u007f", "\u202e",
            "\ud800", "\udfff", "<script>", "'; DROP TABLE", "..", "%00", "a/b", "a\\b", "a#b?c", "\r\n", "\ufeff"),
        Gen.Choose(0, 0xFFFF).Select(c => (char)c).ArrayOf().Select(chars => new string(chars)),
        Gen.Choose(0x20, 0x7E).Select(c => (char)c).ArrayOf().Select(chars => new string(chars)),
        Gen.Choose(300, 20_000).Select(n => new string('x', n)));

    /// <summary>Printable ASCII (what an HTTP header value can carry through the client and server).</summary>
    public static Gen<string> HeaderText { get; } = Gen.OneOf(
        Gen.Choose(0x20, 0x7E).Select(c => (char)c).ArrayOf().Select(chars => new string(chars).Trim()),
        Gen.Choose(257, 2000).Select(n => new string('k', n)),
        Gen.Elements("asset-0123456789abcdef0123456789abcdef", "bulk-reprocess", "-", "order-1"));

    /// <summary>Any JSON value but a string: literals, numbers out of every range, empty containers.</summary>
    public static Gen<string> NonString { get; } = Gen.Elements(
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "1E-400", "99999999999999999999999", "2147483648",
        "-2147483649", "[]", "{}", "[1,2]", "{\"a\":1}");

    /// <summary>Any JSON value: the above, or a string.</summary>
    public static Gen<string> Value { get; } = Gen.OneOf(NonString, Text.Select(Quote));

    /// <summary>Arrays or objects nested 65 (one past the reader's limit) to 5,000 deep.</summary>
    public static Gen<string> DeepNesting { get; } = Gen.OneOf(
        Gen.Choose(65, 5000).Select(d => new string('[', d) + new string(']', d)),
        Gen.Choose(65, 2000).Select(d => string.Concat(Enumerable.Repeat("{\"a\":", d)) + "1" + new string('}', d)));

    /// <summary>Anything but JSON text for an object: scalars, arrays, nesting, truncations, bytes that are not UTF-8.</summary>
    public static Gen<byte[]> NotAnObject(string validObject) => Gen.OneOf(
        Gen.OneOf(NonString.Where(v => v is not "{}" and not "{\"a\":1}"), Text.Select(Quote), DeepNesting).Select(Utf8),
        Gen.Choose(1, validObject.Length - 1).Select(cut => Utf8(validObject[..cut])),
        Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Where(b => b.Length > 0 && !IsJsonObject(b)),
        Gen.Constant(Array.Empty<byte>()));

    public static string Quote(string text) => JsonSerializer.Serialize(text);

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static bool IsJsonObject(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes).RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
