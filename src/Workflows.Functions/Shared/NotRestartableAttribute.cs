namespace Workflows.Shared;

/// <summary>
/// Marks an orchestrator function that <c>POST /api/workflows/{id}/restart</c> refuses with 409: running it again with
/// the same input would repeat or contradict what its first run did. <see cref="Reason"/> tells operators what to do
/// instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NotRestartableAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
