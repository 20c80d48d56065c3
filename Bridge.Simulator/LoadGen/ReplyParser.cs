using System.Buffers.Text;
using System.Text.Json;

namespace Bridge.Simulator.LoadGen;

/// <summary>What the load generator needs from one reply frame: where its id is, ok, and the error code.</summary>
public readonly record struct ReplyFields(int IdStart, int IdLength, bool Ok, int CodeStart, int CodeLength, sbyte StatePower = -1)
{
    public bool HasId => IdStart >= 0;

    public bool HasCode => CodeStart >= 0;
}

/// <summary>
/// Reads the top-level <c>"id"</c>, <c>"ok"</c> and <c>"error":{"code"}</c> of a reply with
/// <see cref="Utf8JsonReader"/>, skipping everything else, without allocating.
/// </summary>
public static class ReplyParser
{
    /// <summary>
    /// False when the frame is not a JSON object or has no (unescaped) string id, for example an event.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ReplyFields fields)
    {
        fields = default;
        int idStart = -1, idLength = 0, codeStart = -1, codeLength = 0;
        sbyte statePower = -1;
        bool ok = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                    {
                        idStart = checked((int)reader.TokenStartIndex + 1);
                        idLength = reader.ValueSpan.Length;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("ok"u8))
                {
                    reader.Read();
                    ok = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("state"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool power = reader.ValueTextEquals("power"u8);
                        reader.Read();
                        if (power && reader.TokenType == JsonTokenType.String)
                        {
                            statePower = reader.ValueTextEquals("on"u8) ? (sbyte)1 : reader.ValueTextEquals("off"u8) ? (sbyte)0 : (sbyte)-1;
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("code"u8))
                        {
                            reader.Read();
                            if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                            {
                                codeStart = checked((int)reader.TokenStartIndex + 1);
                                codeLength = reader.ValueSpan.Length;
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (idStart < 0)
        {
            return false;
        }

        fields = new ReplyFields(idStart, idLength, ok, codeStart, codeLength, statePower);
        return true;
    }

    /// <summary>Parses the load generator's own id format <c>&lt;slot&gt;.&lt;sequence&gt;</c>.</summary>
    public static bool TryParseCommandId(ReadOnlySpan<byte> id, out int slot, out long sequence)
    {
        slot = 0;
        sequence = 0;
        int dot = id.IndexOf((byte)'.');
        return dot > 0
            && Utf8Parser.TryParse(id[..dot], out slot, out int slotBytes) && slotBytes == dot && slot >= 0
            && Utf8Parser.TryParse(id[(dot + 1)..], out sequence, out int seqBytes) && seqBytes == id.Length - dot - 1
            && sequence > 0;
    }

    /// <summary>Writes <c>&lt;slot&gt;.&lt;sequence&gt;</c> into <paramref name="destination"/>.</summary>
    public static int FormatCommandId(int slot, long sequence, Span<byte> destination)
    {
        if (!Utf8Formatter.TryFormat(slot, destination, out int a))
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }

        destination[a++] = (byte)'.';
        if (!Utf8Formatter.TryFormat(sequence, destination[a..], out int b))
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }

        return a + b;
    }
}
