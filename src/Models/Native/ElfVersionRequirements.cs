using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Models.Native;

/// <summary>
/// Edits the symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF
/// shared object. Written by hand because neither .NET nor a NuGet package on the mirror edits
/// ELF version needs, and patchelf's <c>--clear-symbol-version</c> leaves the requirement that
/// the dynamic loader checks in place.
/// </summary>
public static class ElfVersionRequirements
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>
    /// Marks every requirement of <paramref name="versionName"/> as weak, so that a loader whose
    /// library lacks that version only skips it instead of refusing the whole object.
    /// Returns how many requirements were changed (0 when none names that version).
    /// </summary>
    public static int MarkWeak(Span<byte> elf, string versionName)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8))
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF objects are supported");

        var sectionHeaders = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);

        var changed = 0;
        for (var s = 0; s < sectionCount; s++)
        {
            var header = elf.Slice(sectionHeaders + s * sectionHeaderSize, sectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed) continue;

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var stringTableIndex = BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var entryCount = BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var stringTable = elf.Slice(sectionHeaders + (int)stringTableIndex * sectionHeaderSize, sectionHeaderSize);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringTable[0x18..]));

            // Elf64_Verneed { u16 version, cnt; u32 file, aux, next } -> Elf64_Vernaux { u32 hash; u16 flags, other; u32 name, next }
            var need = offset;
            for (var n = 0; n < entryCount; n++)
            {
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]));
                    if (name == versionName)
                    {
                        var flags = elf.Slice(aux + 4, 2);
                        BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(flags) | VerFlagWeak));
                        changed++;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
        }
        return changed;
    }

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        var length = elf[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(offset, length));
    }
}
