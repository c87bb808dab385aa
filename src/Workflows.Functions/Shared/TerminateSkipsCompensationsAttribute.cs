namespace Workflows.Shared;

/// <summary>
/// Marks an orchestrator function whose instances hold things a terminate would leave behind (reserved stock, a charge):
/// <c>POST /api/workflows/{id}/terminate</c> refuses with 409 naming <see cref="Instead"/>, unless asked with
/// <c>?force=true</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TerminateSkipsCompensationsAttribute(string instead) : Attribute
{
    public string Instead { get; } = instead;
}
