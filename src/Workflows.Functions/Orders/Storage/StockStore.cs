using Azure;
using Azure.Data.Tables;

namespace Workflows.Orders.Storage;

/// <summary>
/// Stock per SKU per warehouse and the reservations against it, in one table partition per SKU. Every change is one
/// table transaction: the stock rows are updated under their ETags and the order's reservation rows are added or
/// moved in the same batch, so available stock never goes below zero under any concurrency, and a repeated call finds
/// its own reservation rows and does nothing more.
/// </summary>
public sealed class StockStore(OrderTables tables)
{
    private const int MaxAttempts = 200;

    /// <summary>
    /// Reserves <paramref name="quantity"/> of a SKU for an order, split across warehouses when needed; rejected
    /// (out of stock) when all warehouses together hold less, and (already compensated) when the order's reservation
    /// was released, or a release that found nothing came first (<see cref="ReservationClaimEntity"/>).
    /// </summary>
    public async Task<StepResult<IReadOnlyList<StockAllocation>>> ReserveAsync(string orderId, string sku, int quantity, CancellationToken ct)
    {
        var table = await tables.StockAsync(ct);
        var ownRowsChanged = true; // the order's own rows may differ from what the last attempt saw (none seen yet)
        for (var attempt = 1; ; attempt++)
        {
            if (ownRowsChanged)
            {
                var existing = await ReadReservationsAsync(table, orderId, sku, ct);
                if (existing.Any(r => r.State == ReservationState.Released))
                {
                    // The order's saga already gave this reservation back: a second run (restart, late duplicate) must
                    // not report goods as reserved that are available to everyone again.
                    return StepResult.Rejected<IReadOnlyList<StockAllocation>>(OrderRejections.AlreadyCompensated($"the reservation of {sku} was released"));
                }

                if (existing.Count > 0)
                {
                    return StepResult.Accepted<IReadOnlyList<StockAllocation>>(
                        existing.Select(r => new StockAllocation(sku, r.Warehouse, r.Quantity)).ToList());
                }

                // The claim is read only where it decides the answer: after a batch failed on an Add (its claim row may
                // have been why) and before rejecting for stock. Otherwise the batch's own Add of the claim row checks it.
                if (attempt > 1 && await IsReleasedFirstAsync(table, orderId, sku, ct))
                {
                    return ReleasedBeforeReserved(sku);
                }
            }

            var stock = await ReadStockAsync(table, sku, ct);
            if (StockAllocator.Allocate(sku, quantity, stock) is not { } plan)
            {
                if (!ownRowsChanged)
                {
                    // A rejection is answered on the order's own rows as read in the same attempt: a duplicate of this
                    // step may have reserved since the first attempt (with the last units).
                    ownRowsChanged = true;
                    continue;
                }

                return attempt == 1 && await IsReleasedFirstAsync(table, orderId, sku, ct)
                    ? ReleasedBeforeReserved(sku)
                    : StepResult.Rejected<IReadOnlyList<StockAllocation>>(OrderRejections.OutOfStock(sku, quantity, StockAllocator.Available(stock)));
            }

            // The claim row: a release that found nothing adds it first, and then this whole batch fails with 409.
            List<TableTransactionAction> batch = [new(TableTransactionActionType.Add, ReservationClaimEntity.Create(orderId, sku, ReservationState.Reserved))];
            foreach (var allocation in plan)
            {
                var row = stock.Single(s => s.Warehouse == allocation.Warehouse);
                row.Available -= allocation.Quantity;
                row.Reserved += allocation.Quantity;
                batch.Add(new(TableTransactionActionType.UpdateMerge, row, row.ETag));
                batch.Add(new(TableTransactionActionType.Add, ReservationEntity.Create(orderId, sku, allocation)));
            }

            var refused = await TrySubmitAsync(table, batch, attempt, ct);
            if (refused is null)
            {
                return StepResult.Accepted<IReadOnlyList<StockAllocation>>(plan);
            }

            // 412: a stock row's ETag (another order took or gave back stock): only the stock is read again. Every
            // action stays conditional, so should the claim or a reservation row have appeared meanwhile (a duplicate
            // of this step, a release), the next batch fails on its Add with 409, and that reads the order's rows.
            ownRowsChanged = refused.Status != 412;
        }
    }

    /// <summary>
    /// Puts an order's reservation of a SKU back into available stock. When there is none, claims the order's SKU as
    /// released, so a reserve that runs later (a redelivered message) reserves nothing; when the reserve claims it
    /// first, its reservation is released.
    /// </summary>
    public async Task<int> ReleaseAsync(string orderId, string sku, CancellationToken ct)
    {
        var table = await tables.StockAsync(ct);
        if ((await ReadReservationsAsync(table, orderId, sku, ct)).Count == 0)
        {
            try
            {
                await table.AddEntityAsync(ReservationClaimEntity.Create(orderId, sku, ReservationState.Released), ct);
                return 0;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Claimed already: by a reserve (its rows are there now, released below) or by an earlier release.
            }
        }

        return await MoveAsync(orderId, sku, ReservationState.Released, ct);
    }

    /// <summary>The goods left: the order's reserved quantity is taken out of stock for good.</summary>
    public Task<int> CommitAsync(string orderId, string sku, CancellationToken ct) =>
        MoveAsync(orderId, sku, ReservationState.Committed, ct);

    /// <summary>
    /// Deletes the order's claim row for a SKU (<see cref="ReservationClaimEntity"/>) once no reserve or release of the
    /// order can still arrive; true when it was there, false when it was gone already (a repeated clean-up).
    /// </summary>
    public async Task<bool> DeleteClaimAsync(string orderId, string sku, CancellationToken ct)
    {
        var table = await tables.StockAsync(ct);
        try
        {
            var response = await table.DeleteEntityAsync(sku, ReservationClaimEntity.Row(orderId), ETag.All, ct);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Adds a stock row if it is missing (the demo seeder: never overwrites counts orders have changed).</summary>
    public async Task<bool> AddIfMissingAsync(string sku, string warehouse, int available, CancellationToken ct)
    {
        var table = await tables.StockAsync(ct);
        try
        {
            await table.AddEntityAsync(StockEntity.Create(sku, warehouse, available), ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<StockEntity>> GetStockAsync(string sku, CancellationToken ct) =>
        await ReadStockAsync(await tables.StockAsync(ct), sku, ct);

    public async Task<IReadOnlyList<ReservationEntity>> GetReservationsAsync(string orderId, string sku, CancellationToken ct) =>
        await ReadReservationsAsync(await tables.StockAsync(ct), orderId, sku, ct);

    private async Task<int> MoveAsync(string orderId, string sku, string target, CancellationToken ct)
    {
        var table = await tables.StockAsync(ct);
        List<ReservationEntity>? moving = null;
        for (var attempt = 1; ; attempt++)
        {
            if (moving is null)
            {
                moving = (await ReadReservationsAsync(table, orderId, sku, ct))
                    .Where(r => ReservationState.CanMove(r.State, target)).ToList();
                if (moving.Count == 0)
                {
                    return 0;
                }
            }

            var stock = await ReadStockAsync(table, sku, ct);
            List<TableTransactionAction> batch = [];
            foreach (var reservation in moving)
            {
                var row = stock.Single(s => s.Warehouse == reservation.Warehouse);
                if (reservation.State == ReservationState.Reserved)
                {
                    row.Reserved -= reservation.Quantity;
                }

                if (target == ReservationState.Released)
                {
                    row.Available += reservation.Quantity;
                }

                batch.Add(new(TableTransactionActionType.UpdateMerge, row, row.ETag)); // even index: a stock row
                batch.Add(new(TableTransactionActionType.UpdateMerge, reservation.MovedTo(target), reservation.ETag));
            }

            var refused = await TrySubmitAsync(table, batch, attempt, ct);
            if (refused is null)
            {
                return moving.Sum(r => r.Quantity);
            }

            // Refused on a stock row's ETag (another order's change): the order's reservations as read are kept, and
            // only the stock is read again. Every update stays conditional on its ETag, so a reservation that changed
            // meanwhile (a duplicate of this step, a release) fails the next batch, and that reads them again.
            if (refused.FailedTransactionActionIndex is not { } failed || failed % 2 != 0)
            {
                moving = null;
            }
        }
    }

    /// <summary>
    /// Submits the batch; null when it committed, else why another writer got there first (status 412: a conditional
    /// update's ETag; 409: an Add found its row; <see cref="TableTransactionFailedException.FailedTransactionActionIndex"/>:
    /// which action), after a jittered pause.
    /// </summary>
    private static async Task<TableTransactionFailedException?> TrySubmitAsync(
        TableClient table, List<TableTransactionAction> batch, int attempt, CancellationToken ct)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, ct);
            return null;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            if (attempt >= MaxAttempts)
            {
                throw new TransientOrderException($"Stock contention: gave up after {attempt} attempts.");
            }

            await Task.Delay(Random.Shared.Next(1, 10 * Math.Min(attempt, 10)), ct);
            return ex;
        }
    }

    private static async Task<List<StockEntity>> ReadStockAsync(TableClient table, string sku, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {sku} and RowKey ge {StockEntity.RowPrefix} and RowKey lt {StockEntity.RowPrefixEnd}");
        List<StockEntity> rows = [];
        await foreach (var row in table.QueryAsync<StockEntity>(filter, cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>True when a release that found nothing claimed the order's SKU: a reserve now is a late redelivery of a compensated step.</summary>
    private static async Task<bool> IsReleasedFirstAsync(TableClient table, string orderId, string sku, CancellationToken ct)
    {
        var claim = await table.GetEntityIfExistsAsync<ReservationClaimEntity>(sku, ReservationClaimEntity.Row(orderId), cancellationToken: ct);
        return claim.HasValue && claim.Value!.State == ReservationState.Released;
    }

    private static StepResult<IReadOnlyList<StockAllocation>> ReleasedBeforeReserved(string sku) =>
        StepResult.Rejected<IReadOnlyList<StockAllocation>>(OrderRejections.AlreadyCompensated($"the reservation of {sku} was released before it was made"));

    private static async Task<List<ReservationEntity>> ReadReservationsAsync(
        TableClient table, string orderId, string sku, CancellationToken ct)
    {
        var (from, to) = ReservationEntity.RowRange(orderId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sku} and RowKey ge {from} and RowKey lt {to}");
        List<ReservationEntity> rows = [];
        await foreach (var row in table.QueryAsync<ReservationEntity>(filter, cancellationToken: ct))
        {
            rows.Add(row);
        }

        return rows;
    }
}
