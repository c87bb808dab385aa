using Azure.Core;
using Azure.Core.Pipeline;

namespace Workflows.Hosting;

/// <summary>
/// A pipeline policy that only watches: each request attempt goes on unchanged, and <see cref="Observe"/> sees it
/// with its answer (if any) once it is back. The base of the tests' and the bench's storage counters.
/// </summary>
public abstract class ObservingPolicy : HttpPipelinePolicy
{
    public sealed override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Observe(message);
    }

    public sealed override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        Observe(message);
    }

    protected abstract void Observe(HttpMessage message);
}
