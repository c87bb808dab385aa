using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SkiaSharp;

namespace Workflows.Assets.Imaging;

/// <summary>
/// Reads an original's compressed bytes, to the end of a possibly remote stream, into native memory: the Skia data
/// block every decoder reads from. Native so the bytes are freed the moment the last holder disposes them; in a
/// managed array a 30 MB PNG stayed resident (garbage until the next full collection) while its 48 MB of pixels
/// were decoded and drawn, 133 MB per asset.
/// </summary>
internal static class EncodedBytes
{
    private const int ChunkBytes = 81_920;
    private const int UnknownLengthCapacity = 1 << 20;

    /// <summary>
    /// The bytes from the stream's position to its end, each chunk also added to <paramref name="hash"/>. What
    /// inspection read of an original (<see cref="OriginalPartsView"/>) is laid out as is, the parts read and no
    /// zero-filled copy of the rest (<see cref="OriginalPartsView.ToData"/>).
    /// </summary>
    public static async Task<SKData> ReadAsync(Stream source, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is OriginalPartsView { Position: 0, Length: > 0 } view && hash is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return view.ToData();
        }
        long remaining = source.CanSeek ? source.Length - source.Position : 0;
        int capacity = remaining > 0 ? (int)Math.Min(remaining, Array.MaxLength) : UnknownLengthCapacity;
        IntPtr block = Marshal.AllocHGlobal(capacity);
        int length = 0;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                hash?.AppendData(chunk, 0, read);
                if (read > capacity - length)
                {
                    if (read > Array.MaxLength - length)
                    {
                        throw new ImageRejectedException("The file is larger than 2 GB. Upload a smaller image.");
                    }

                    capacity = (int)Math.Clamp(2L * capacity, length + read, Array.MaxLength);
                    block = Marshal.ReAllocHGlobal(block, capacity);
                }

                Marshal.Copy(chunk, 0, block + length, read);
                length += read;
            }

            return SKData.Create(block, length, static (address, _) => Marshal.FreeHGlobal(address));
        }
        catch
        {
            Marshal.FreeHGlobal(block);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
