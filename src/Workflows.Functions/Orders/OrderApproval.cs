using Microsoft.DurableTask;

namespace Workflows.Orders;

/// <summary>The approval wait of large orders: the approval event, a cancel, or the deadline timer, whichever comes first.</summary>
internal static class OrderApproval
{
    /// <summary>Null when approved; otherwise why the order is cancelled.</summary>
    public static async Task<string?> WaitAsync(
        TaskOrchestrationContext context, OrderFulfilmentRun run, Task<CancelRequest> cancelled)
    {
        await run.RecordAsync(OrderStatus.AwaitingApproval, "AwaitingApproval");
        using var stopTimer = new CancellationTokenSource();
        using var stopWaiting = new CancellationTokenSource();
        var decision = context.WaitForExternalEvent<ApprovalDecision>(OrderEvents.Approval, stopWaiting.Token);
        var due = context.CurrentUtcDateTime.Add(run.Settings.ApprovalTimeout);
        var deadline = context.CreateTimer(due, stopTimer.Token);
        context.SetCustomStatus(new OrderStage(OrderStatus.AwaitingApproval, $"approval due by {due:O}"));

        var winner = await Task.WhenAny(decision, deadline, cancelled);

        // Cancel the timer when something else won: a pending durable timer must not outlive the decision.
        stopTimer.Cancel();
        if (winner == decision)
        {
            var by = decision.Result.By;
            run.Note(OrderStatus.AwaitingApproval, decision.Result.Approved ? $"Approved by {by}" : $"Rejected by {by}");
            return decision.Result.Approved ? null : $"approval_rejected: by {by}";
        }

        stopWaiting.Cancel();
        return winner == cancelled ? cancelled.Result.Reason : "approval_timeout";
    }
}
