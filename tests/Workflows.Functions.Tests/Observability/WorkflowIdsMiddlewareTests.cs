using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Workflows.Observability;
using Workflows.Orders;

namespace Workflows.Tests.Observability;

/// <summary>
/// Under the Functions host an activity runs as a plain function invocation: the middleware turns the trigger's
/// <c>instanceId</c> binding into the ids on the invocation span. The harness does not run worker middleware, so this
/// calls it with the binding data the host sends.
/// </summary>
public sealed class WorkflowIdsMiddlewareTests
{
    [Theory]
    [InlineData(nameof(StockActivities.ReserveStock), "order-1001", WorkflowTelemetry.OrderIdAttribute, "order-1001")]
    [InlineData("RenderRenditions", "asset-0123456789abcdef0123456789abcdef", WorkflowTelemetry.AssetIdAttribute, "0123456789abcdef0123456789abcdef")]
    public async Task ActivityInvocation_InstanceIdBound_InvocationSpanGetsBusinessId(string function, string instanceId, string attribute, string expected)
    {
        // Arrange
        using var span = new Activity("function " + function).Start();
        var context = new InvocationContext(function, new Dictionary<string, object?> { ["instanceId"] = instanceId });
        Activity? duringFunction = null;

        // Act
        await new WorkflowIdsMiddleware().Invoke(context, _ =>
        {
            duringFunction = Activity.Current;
            return Task.CompletedTask;
        });

        // Assert
        Assert.Same(span, duringFunction);
        Assert.Equal(expected, span.GetTagItem(attribute));
        Assert.Equal(instanceId, span.GetTagItem(WorkflowTelemetry.InstanceIdAttribute));
    }

    [Fact]
    public async Task HttpInvocation_NoInstanceId_SpanUntouched()
    {
        // Arrange
        using var span = new Activity("function GetHealth").Start();
        var context = new InvocationContext("GetHealth", new Dictionary<string, object?> { ["Headers"] = "{}" });

        // Act
        await new WorkflowIdsMiddleware().Invoke(context, _ => Task.CompletedTask);

        // Assert
        Assert.Empty(span.Tags);
    }

    private sealed class InvocationContext(string functionName, IReadOnlyDictionary<string, object?> bindingData) : FunctionContext
    {
        public override string InvocationId => "invocation-1";

        public override string FunctionId => functionName;

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext { get; } = new Bindings(bindingData);

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition { get; } = new Definition(functionName);

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class Bindings(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData => data;
    }

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(WorkflowsRegistration).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
