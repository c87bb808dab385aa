using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Workflows;
using Workflows.Observability;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<WorkflowIdsMiddleware>();
builder.Services.AddWorkflows(builder.Configuration);
builder.Build().Run();
