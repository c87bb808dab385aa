using FsCheck;
using FsCheck.Fluent;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// <c>POST /api/orders</c> bodies: a valid order, then the same order with one field of the wrong type, missing, null
/// or any string; duplicate and unknown keys; hundreds of lines; a body over the cap; anything that is not an object.
/// </summary>
internal static class OrderBodyFuzz
{
    public const string Sku = "FUZZ1";

    private const string Omitted = "<omitted>";

    // Field path → whether the order needs it; every other field is a string but quantity.
    private static readonly (string Field, bool Required)[] Fields =
    [
        ("orderId", false), ("sku", true), ("quantity", true), ("name", true), ("line1", true), ("line2", false),
        ("city", true), ("postalCode", true), ("country", true), ("paymentToken", true),
    ];

    private static int _ids;

    public static Gen<FuzzRequest> Requests => Gen.Frequency(
        (1, Valid.Select(f => Request("order valid", f, FuzzExpectation.Accepted))),
        (4, WrongType),
        (3, AnyString),
        (1, from f in Valid from member in Gen.Elements(Fields) select Omit(f, member.Field)),
        (1, from f in Valid from key in Gen.Elements("lines", "shippingAddress", "orderId", "quantity") select Duplicated(f, key)),
        (1, Valid.Zip(JsonFuzz.Value).Select(t => Post("order unknown key", Render(t.Item1, $",\"extra\":{t.Item2}"), FuzzExpectation.Anything))),
        (1, Gen.Choose(101, 3000).Select(n => Post("order too many lines", Render(Fields0(), lines: n), FuzzExpectation.Rejected))),
        (1, Gen.Constant(Post("order over the cap", Render(Fields0(), $",\"pad\":\"{new string('p', 300_000)}\""), FuzzExpectation.Rejected))),
        (2, JsonFuzz.NotAnObject(Render(Fields0())).Select(b => new FuzzRequest("order not an object", "POST", "/api/orders", b, FuzzExpectation.Rejected))))
        .SelectMany(WithKey);

    private static Gen<Dictionary<string, string>> Valid { get; } = Gen.Choose(1, 5).Select(quantity =>
    {
        var fields = Fields0();
        fields["quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return fields;
    });

    // Any non-string value (or a string where quantity wants a number) in one field: rejected unless the field may be absent.
    private static Gen<FuzzRequest> WrongType { get; } =
        from fields in Valid
        from member in Gen.Elements(Fields)
        from value in member.Field == "quantity" ? Gen.Elements("null", "true", "0", "-1", "1001", "1.5", "1e400", "2147483648", "[]", "{}", "\"x\"") : JsonFuzz.NonString
        select Request("order wrong type", With(fields, member.Field, value), !member.Required && value == "null" ? FuzzExpectation.Anything : FuzzExpectation.Rejected);

    private static Gen<FuzzRequest> AnyString { get; } =
        from fields in Valid
        from member in Gen.Elements(Fields)
        from text in JsonFuzz.Text
        select Request("order any string", With(fields, member.Field, JsonFuzz.Quote(text)), FuzzExpectation.Anything);

    private static Dictionary<string, string> Fields0() => new()
    {
        ["orderId"] = JsonFuzz.Quote($"fuzz-{Interlocked.Increment(ref _ids)}-{Environment.ProcessId}"),
        ["sku"] = JsonFuzz.Quote(Sku), ["quantity"] = "1", ["name"] = "\"Ada Lovelace\"", ["line1"] = "\"1 Analytical Way\"",
        ["line2"] = "null", ["city"] = "\"London\"", ["postalCode"] = "\"N1 9GU\"", ["country"] = "\"GB\"", ["paymentToken"] = "\"tok_approve\"",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> fields, string field, string rawJson) =>
        new(fields) { [field] = rawJson };

    private static FuzzRequest Omit(Dictionary<string, string> fields, string field) => Request(
        "order missing field", With(fields, field, Omitted), Fields.Single(f => f.Field == field).Required ? FuzzExpectation.Rejected : FuzzExpectation.Anything);

    private static FuzzRequest Duplicated(Dictionary<string, string> fields, string key) =>
        Post("order duplicate key", Render(fields, key switch
        {
            "lines" => ",\"lines\":[]",
            "shippingAddress" => ",\"shippingAddress\":null",
            "orderId" => ",\"orderId\":\"other-id\"",
            _ => ",\"lines\":[{\"sku\":\"FUZZ1\",\"quantity\":1,\"quantity\":-5}]",
        }), FuzzExpectation.Anything);

    private static FuzzRequest Request(string kind, Dictionary<string, string> fields, FuzzExpectation expect) => Post(kind, Render(fields), expect);

    private static FuzzRequest Post(string kind, string json, FuzzExpectation expect) => FuzzRequest.Post(kind, "/api/orders", json, expect);

    private static string Render(Dictionary<string, string> f, string extra = "", int lines = 1)
    {
        var line = Object(("sku", f["sku"]), ("quantity", f["quantity"]));
        var address = Object(("name", f["name"]), ("line1", f["line1"]), ("line2", f["line2"]), ("city", f["city"]), ("postalCode", f["postalCode"]), ("country", f["country"]));
        var allLines = "[" + string.Join(",", Enumerable.Range(0, lines).Select(n => n == 0 ? line : line.Replace(Sku, $"{Sku}-{n}", StringComparison.Ordinal))) + "]";
        return Object(("orderId", f["orderId"]), ("lines", allLines), ("shippingAddress", address), ("paymentToken", f["paymentToken"]))[..^1] + extra + "}";
    }

    private static string Object(params (string Name, string Raw)[] members) =>
        "{" + string.Join(",", members.Where(m => m.Raw != Omitted).Select(m => $"\"{m.Name}\":{m.Raw}")) + "}";

    // The Idempotency-Key header: mostly none; a well-formed one differs from the valid body's orderId (a 400), any
    // other makes a valid order uncertain.
    private static Gen<FuzzRequest> WithKey(FuzzRequest request) => Gen.Frequency(
        (6, Gen.Constant(request)),
        (1, Gen.Fresh(() => request with
        {
            IdempotencyKey = $"key-{Interlocked.Increment(ref _ids)}",
            Expect = request.Expect == FuzzExpectation.Accepted ? FuzzExpectation.Rejected : request.Expect,
        })),
        (2, JsonFuzz.HeaderText.Select(key => request with
        {
            IdempotencyKey = key,
            Expect = request.Expect == FuzzExpectation.Accepted ? FuzzExpectation.Anything : request.Expect,
        })));
}
