using System.Text;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>What a fuzzed request must get, besides never a 5xx: any answer, a 4xx, or a 2xx.</summary>
internal enum FuzzExpectation
{
    /// <summary>Valid or not depending on details the generator does not track: anything below 500.</summary>
    Anything,

    /// <summary>Invalid by construction (wrong type, missing field, unknown id...): a 4xx.</summary>
    Rejected,

    /// <summary>Valid by construction: a 2xx.</summary>
    Accepted,
}

/// <summary>One generated HTTP request: <see cref="Kind"/> names the generator, for the counts printed.</summary>
internal sealed record FuzzRequest(
    string Kind, string Method, string PathAndQuery, byte[]? Body, FuzzExpectation Expect, string? IdempotencyKey = null)
{
    public static FuzzRequest Get(string kind, string pathAndQuery, FuzzExpectation expect) => new(kind, "GET", pathAndQuery, null, expect);

    public static FuzzRequest Post(string kind, string pathAndQuery, string? json, FuzzExpectation expect) =>
        new(kind, "POST", pathAndQuery, json is null ? null : Encoding.UTF8.GetBytes(json), expect);

    public override string ToString() =>
        $"{Kind}: {Method} {PathAndQuery} key={IdempotencyKey ?? "-"} body={Shorten(Body)} (expect {Expect})";

    private static string Shorten(byte[]? body) =>
        body is null ? "-" : body.Length <= 300 ? Encoding.UTF8.GetString(body) : $"{Encoding.UTF8.GetString(body, 0, 300)}... ({body.Length} bytes)";
}
