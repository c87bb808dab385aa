using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// Ids in routes (orders, workflows, assets), the order and workflow commands, and the query strings and bodies of the
/// list and purge endpoints. An id no instance or asset has must be a 4xx; <paramref name="existingIds"/> may be anything.
/// </summary>
internal static class RouteFuzz
{
    private static readonly string[] OrderCommands = ["cancel", "approve", "compensate", "resume"];
    private static readonly string[] WorkflowCommands = ["suspend", "resume", "terminate", "restart"];

    // Each list endpoint's parameters, with values it accepts.
    private static readonly Dictionary<string, (string Name, string[] Valid)[]> ListParameters = new()
    {
        ["/api/orders"] = [("status", ["Completed", "Failed,Received", "completed"]), ("createdFrom", ["2026-12-01"]), ("createdTo", ["2026-12-01T10:00:00Z"]), ("sku", ["FUZZ1"]), ("pageSize", ["1", "100"])],
        ["/api/workflows"] = [("name", ["OrderFulfilmentOrchestrator"]), ("status", ["Running", "Completed,Failed"]), ("createdFrom", ["2026-12-01"]), ("instanceIdPrefix", ["fuzz-"]), ("pageSize", ["1", "100"])],
        ["/api/assets"] = [("status", ["Ready", "Failed,Processing"]), ("uploadedFrom", ["2026-12-01"]), ("name", ["holiday"]), ("contentType", ["image/jpeg"]), ("pageSize", ["1", "100"])],
    };

    public static Gen<FuzzRequest> Requests(IReadOnlyList<string> existingIds) => Gen.OneOf(
        Ids(existingIds).Select(id => FuzzRequest.Get("order by id", $"/api/orders/{Escape(id.Id)}", id.Expect)),
        from id in Ids(existingIds) from command in Gen.Elements(OrderCommands) from body in OptionalBody
        select FuzzRequest.Post($"order {command}", $"/api/orders/{Escape(id.Id)}/{command}", body, id.Expect),
        from id in Ids(existingIds) from flags in Flags
        select FuzzRequest.Get("workflow by id", $"/api/workflows/{Escape(id.Id)}{flags}", id.Expect),
        from id in Ids(existingIds) from command in Gen.Elements(WorkflowCommands) from body in OptionalBody
        select FuzzRequest.Post($"workflow {command}", $"/api/workflows/{Escape(id.Id)}/{command}", body, id.Expect),
        from id in Ids(existingIds) from name in Gen.OneOf(Gen.Constant("go"), RouteText) from body in OptionalBody
        select FuzzRequest.Post("workflow event", $"/api/workflows/{Escape(id.Id)}/events/{Escape(name)}", body, id.Expect),
        Ids(existingIds).Select(id => new FuzzRequest("workflow delete", "DELETE", $"/api/workflows/{Escape(id.Id)}", null, id.Expect)),
        from id in Ids(existingIds) from kind in Gen.Elements("asset by id", "asset rendition", "asset delete", "asset rerender", "reprocess status")
        select Asset(kind, id.Id, id.Expect),
        from path in Gen.Elements(ListParameters.Keys.ToArray()) from query in Query(ListParameters[path])
        select FuzzRequest.Get($"list {path[5..]}", path + query.Text, query.Expect),
        Purge);

    // Ids as route values: not empty, '.' or '..' (another route), without NUL, and escaped at most 1,000 characters
    // long (past every id limit). The server itself answers a NUL in the path (400) and URLs of several KB (414)
    // before any function runs.
    private static Gen<(string Id, FuzzExpectation Expect)> Ids(IReadOnlyList<string> existing) => Gen.Frequency(
        (1, Gen.Elements(existing.ToArray()).Select(id => (id, FuzzExpectation.Anything))),
        (6, RouteText.Where(t => !existing.Contains(t))
            .Select(id => (id, FuzzExpectation.Rejected))));

    private static Gen<string> RouteText { get; } =
        JsonFuzz.Text.Where(t => t.Length > 0 && t is not "." and not ".." && !t.Contains('\0', StringComparison.Ordinal) && Escape(t).Length <= 1000);

    private static Gen<string?> OptionalBody { get; } = Gen.Frequency(
        (2, Gen.Constant<string?>(null)),
        (1, JsonFuzz.Value.Select(v => (string?)v)),
        (1, JsonFuzz.DeepNesting.Select(v => (string?)v)),
        (1, JsonFuzz.Value.Select(v => (string?)$"{{\"approved\":{v},\"reason\":{v}}}")));

    private static Gen<string> Flags { get; } =
        from name in Gen.Elements("input", "output", "history", "other")
        from value in Gen.OneOf(Gen.Elements("true", "false"), JsonFuzz.Text.Where(t => Escape(t).Length <= 1000))
        from present in Gen.Elements(true, false)
        select present ? $"?{name}={Escape(value)}" : string.Empty;

    private static FuzzRequest Asset(string kind, string id, FuzzExpectation expect) => kind switch
    {
        "asset rendition" => FuzzRequest.Get(kind, $"/api/assets/{Escape(id)}/renditions/800.jpg", expect),
        "asset delete" => new FuzzRequest(kind, "DELETE", $"/api/assets/{Escape(id)}", null, expect),
        "asset rerender" => FuzzRequest.Post(kind, $"/api/assets/{Escape(id)}/rerender", null, expect),
        "reprocess status" => FuzzRequest.Get(kind, $"/api/assets/reprocess/{Escape(id)}", expect),
        _ => FuzzRequest.Get(kind, $"/api/assets/{Escape(id)}", expect),
    };

    // 0-4 parameters: known ones with valid or any values, unknown names, repeats. A single known parameter with a
    // valid value (or none) must list (2xx); an unknown name must be a 400.
    private static Gen<(string Text, FuzzExpectation Expect)> Query((string Name, string[] Valid)[] known)
    {
        var parameter = Gen.Frequency(
            (3, from p in Gen.Elements(known) from v in Gen.Elements(p.Valid) select (Name: p.Name, Value: v, Valid: true, Unknown: false)),
            (3, from p in Gen.Elements(known) from v in ShortText select (Name: p.Name, Value: v, Valid: false, Unknown: false)),
            (1, Gen.Elements("continuationToken", "code")
                .SelectMany(n => ShortText, (n, v) => (Name: n, Value: v, Valid: false, Unknown: false))),
            (1, Gen.Choose(0, 9999).Select(n => (Name: $"unknown{n.ToString(CultureInfo.InvariantCulture)}", Value: "1", Valid: false, Unknown: true))));
        return Gen.Choose(0, 4).SelectMany(count => parameter.ListOf(count), (count, ps) =>
        {
            var text = ps.Count == 0 ? string.Empty : "?" + string.Join("&", ps.Select(p => $"{Escape(p.Name)}={Escape(p.Value)}"));
            var expect = ps.Any(p => p.Unknown) ? FuzzExpectation.Rejected
                : ps.Count == 0 || (ps.Count == 1 && ps[0].Valid) ? FuzzExpectation.Accepted
                : FuzzExpectation.Anything;
            return (text, expect);
        });
    }

    private static Gen<string> ShortText { get; } = JsonFuzz.Text.Where(t => Escape(t).Length <= 1000);

    private static Gen<FuzzRequest> Purge { get; } = Gen.OneOf(
        from days in Gen.Choose(0, 36500) from statuses in Gen.SubListOf("Completed", "Failed", "Terminated")
        select FuzzRequest.Post("purge valid", "/api/workflows/purge", $"{{\"olderThanDays\":{days},\"statuses\":[{string.Join(",", statuses.Select(JsonFuzz.Quote))}]}}", FuzzExpectation.Accepted),
        // Days are a number from 0 to 36,500, fractions allowed: 0, 1.5 and 1E-400 (read as 0) are valid.
        from days in JsonFuzz.NonString.Where(v => v is not "0" and not "1.5" and not "1E-400") select FuzzRequest.Post("purge wrong days", "/api/workflows/purge", $"{{\"olderThanDays\":{days}}}", FuzzExpectation.Rejected),
        from status in JsonFuzz.Value select FuzzRequest.Post("purge any status", "/api/workflows/purge", $"{{\"olderThanDays\":1,\"statuses\":[{status}]}}", FuzzExpectation.Anything),
        JsonFuzz.NotAnObject("{\"olderThanDays\":1}").Select(b => new FuzzRequest("purge not an object", "POST", "/api/workflows/purge", b, FuzzExpectation.Rejected)));

    private static string Escape(string text) => Uri.EscapeDataString(text);
}
