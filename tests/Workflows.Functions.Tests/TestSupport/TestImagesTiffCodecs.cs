using System.IO.Compression;

namespace Workflows.Tests.TestSupport;

/// <summary>Compresses one TIFF strip or tile, given as rows: LZW, Deflate or PackBits as TIFF defines them.</summary>
internal static class TestImagesTiffCodecs
{
    public static byte[] Compress(TestTiffCompression compression, List<byte[]> rows)
    {
        byte[] all = [.. rows.SelectMany(r => r)];
        switch (compression)
        {
            case TestTiffCompression.Lzw:
                return Lzw(all);
            case TestTiffCompression.Deflate:
                using (var output = new MemoryStream())
                {
                    using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
                    {
                        zlib.Write(all);
                    }

                    return output.ToArray();
                }

            case TestTiffCompression.PackBits:
                return [.. rows.SelectMany(PackBits)]; // runs never cross rows, as the spec asks
            default:
                return all;
        }
    }

    /// <summary>MSB-first codes from 9 bits, widening when the next code reaches 512/1024/2048, Clear at 4094.</summary>
    private static byte[] Lzw(byte[] data)
    {
        var output = new List<byte>();
        uint buffer = 0;
        int bits = 0;
        int width = 9;
        void Put(int code)
        {
            buffer = (buffer << width) | (uint)code;
            bits += width;
            while (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        var table = new Dictionary<(int, byte), int>();
        int next = 258;
        Put(256);
        int current = -1;
        foreach (byte b in data)
        {
            if (current < 0)
            {
                current = b;
            }
            else if (table.TryGetValue((current, b), out int code))
            {
                current = code;
            }
            else
            {
                Put(current);
                table[(current, b)] = next++;
                current = b;
                if (next == 4094)
                {
                    Put(256);
                    (table, next, width) = ([], 258, 9);
                }
                else if (next == 1 << width)
                {
                    width++;
                }
            }
        }

        if (current >= 0)
        {
            Put(current);
            next++;
            if (next == 1 << width && width < 12)
            {
                width++;
            }
        }

        Put(257);
        if (bits > 0)
        {
            output.Add((byte)(buffer << (8 - bits)));
        }

        return [.. output];
    }

    private static IEnumerable<byte> PackBits(byte[] row)
    {
        var output = new List<byte>();
        int i = 0;
        while (i < row.Length)
        {
            int run = 1;
            while (i + run < row.Length && run < 128 && row[i + run] == row[i])
            {
                run++;
            }

            if (run >= 3)
            {
                output.Add((byte)(1 - run));
                output.Add(row[i]);
                i += run;
                continue;
            }

            int start = i;
            while (i < row.Length && i - start < 128 && !(i + 2 < row.Length && row[i] == row[i + 1] && row[i] == row[i + 2]))
            {
                i++;
            }

            output.Add((byte)(i - start - 1));
            output.AddRange(row[start..i]);
        }

        return output;
    }
}
