using System.Security.Cryptography;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>
/// A layer dir (an upper, a container's rw layer) as the OCI layer tar docker itself writes for
/// it: moby's pkg/archive TarWithOptions with the overlay whiteout converter, which is what
/// <c>docker commit</c> hashes into the new DiffID. Its rules, in order:
/// filepath.Walk order (each directory's names sorted as bytes, depth first, the root itself
/// not written); sockets skipped; FileInfoHeader (Format PAX, mtime cut to whole seconds,
/// atime/ctime dropped, mode = permission bits | S_IF* bits, uid/gid, no user or group names,
/// directories named with a trailing '/'); <c>security.capability</c> the only xattr kept
/// (a v3 capability written as v2, as addTarFile does); a non-directory with more than one
/// link seen before becomes a hard link to the first name (size 0); a 0/0 char device becomes
/// an empty <c>.wh.&lt;name&gt;</c> file of mode 0600 (keeping a link name it got above, as
/// docker does: kernel whiteouts share one inode); an opaque directory is followed by an
/// empty <c>&lt;dir&gt;/.wh..wh..opq</c> written with Go's default format. The xattr form of a
/// whiteout (an empty file marked overlay.whiteout) counts as a whiteout too. Everything is
/// read through held descriptors, one name at a time, never following a link.
/// </summary>
public static class LayerTarWriter
{
    const long TypeReg = 0x8000, TypeDir = 0x4000, TypeLnk = 0xA000, TypeChr = 0x2000, TypeBlk = 0x6000, TypeFifo = 0x1000;

    public static LayerTarResult Write(DirHandle root, Stream output, LayerTarOptions options)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream sink = options.Gzip ? new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true) : output;
        var state = new WalkState(new HashingStream(sink, hasher), options);
        try
        {
            WalkDir(root, "", state);
            state.Out.Write(new byte[2 * GoTarEncoding.BlockSize]);   // Go's Close: two zero blocks, no record padding
            state.Out.Flush();
        }
        finally
        {
            if (options.Gzip)
                sink.Dispose();
        }
        return new LayerTarResult("sha256:" + Convert.ToHexString(hasher.GetHashAndReset()).ToLowerInvariant(),
            state.Entries, state.Out.Length);
    }

    sealed class WalkState(HashingStream output, LayerTarOptions options)
    {
        public readonly HashingStream Out = output;
        public readonly LayerTarOptions Options = options;
        public readonly Dictionary<ulong, string> SeenInodes = new();
        public long Entries;
    }

    static void WalkDir(DirHandle dir, string relDir, WalkState s)
    {
        foreach (var name in SortedNames(dir))
        {
            if (s.Options.Stopping?.Invoke() == true)
                throw new OperationCanceledException();
            if (!dir.TryStat(name, out var st))
                continue;                           // gone since it was listed: Walk skips it too
            string rel = relDir.Length == 0 ? name : relDir + "/" + name;
            if (st.Kind is FileKind.Socket or FileKind.Unknown)
                continue;
            WriteEntry(dir, name, rel, st, s);
            if (st.IsDirectory)
            {
                using var sub = dir.OpenDir(name);
                WalkDir(sub, rel, s);
            }
        }
    }

    static void WriteEntry(DirHandle dir, string name, string rel, in FileStat st, WalkState s)
    {
        var h = new TarHeader
        {
            Name = FileNames.Encode(st.IsDirectory ? rel + "/" : rel),
            Mode = st.Mode | TypeBits(st.Kind),
            Uid = st.Uid,
            Gid = st.Gid,
            MTime = LayerFiles.Seconds(st),
            WantPax = true,
            Type = st.Kind switch
            {
                FileKind.Regular => TarType.Regular,
                FileKind.Directory => TarType.Directory,
                FileKind.Symlink => TarType.Symlink,
                FileKind.CharDevice => TarType.CharDevice,
                FileKind.BlockDevice => TarType.BlockDevice,
                _ => TarType.Fifo,
            },
        };
        if (s.Options.HostOwnerNames)
            (h.Uname, h.Gname) = (OwnerName(Accounts.UserName(st.Uid), st.Uid), OwnerName(Accounts.GroupName(st.Gid), st.Gid));
        if (st.IsRegular)
            h.Size = st.Size;
        if (st.IsSymlink)
            h.LinkName = FileNames.Encode(dir.ReadLink(name));
        if (st.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            (h.DevMajor, h.DevMinor) = (Major(st.RDev), Minor(st.RDev));
        if (Capability(dir, name) is { } cap)
            h.PaxRecords["SCHILY.xattr.security.capability"] = cap;

        if (!st.IsDirectory && st.NLink > 1)
        {
            if (s.SeenInodes.TryGetValue(st.Inode, out var first))
            {
                h.Type = TarType.HardLink;
                h.LinkName = FileNames.Encode(first);
                h.Size = 0;
            }
            else
                s.SeenInodes[st.Inode] = rel;
        }

        bool whiteout = st.IsCharDevice00 ||
            Union.LayerMarks.IsXattrWhiteout(st, dir, name, s.Options.XattrPrefix + "overlay.whiteout");
        if (whiteout)
        {
            int slash = rel.LastIndexOf('/');
            h.Name = FileNames.Encode(rel[..(slash + 1)] + ".wh." + rel[(slash + 1)..]);
            h.Mode = 0x180;                          // 0600, no type bits: ConvertWrite sets it so
            h.Type = TarType.Regular;
            h.Size = 0;
            h.DevMajor = h.DevMinor = 0;
        }
        Emit(h, s);

        if (st.IsRegular && h.Type == TarType.Regular && h.Size > 0)
            CopyData(dir, name, h.Size, s);

        if (st.IsDirectory && Union.LayerMarks.IsOpaque(dir, name, s.Options.XattrPrefix + "overlay.opaque"))
        {
            Emit(new TarHeader
            {
                Type = TarType.Regular,
                Name = FileNames.Encode(rel + "/.wh..wh..opq"),
                Mode = h.Mode & 0x1FF,
                Uid = h.Uid,
                Gid = h.Gid,
                Uname = h.Uname,
                Gname = h.Gname,
            }, s);
        }
        s.Options.Written?.Invoke(rel);
    }

    static void Emit(TarHeader h, WalkState s)
    {
        s.Out.Write(GoTarEncoding.Encode(h));
        s.Entries++;
    }

    static void CopyData(DirHandle dir, string name, long size, WalkState s)
    {
        using var f = LayerFiles.OpenRead(dir, name);
        var buf = new byte[1 << 16];
        long left = size;
        while (left > 0)
        {
            int n = f.Read(buf, 0, (int)Math.Min(buf.Length, left));
            if (n == 0)
                throw new IOException($"'{dir.Describe(name)}' shrank while it was archived ({size - left} of {size} bytes).");
            s.Out.Write(buf, 0, n);
            left -= n;
        }
        s.Out.Write(new byte[GoTarEncoding.Padding(size)]);
    }

    /// <summary>Go leaves a name empty when the lookup finds none (Accounts answers with the number).</summary>
    static byte[] OwnerName(string name, uint id) =>
        name == id.ToString(System.Globalization.CultureInfo.InvariantCulture) ? Array.Empty<byte>() : FileNames.Encode(name);

    /// <summary>security.capability as docker keeps it: VFS_CAP_REVISION_3 (with a root uid that
    /// means nothing outside this user namespace) cut to the 20-byte revision 2 form.</summary>
    static byte[]? Capability(DirHandle dir, string name)
    {
        byte[]? cap;
        try { cap = dir.GetXattr(name, "security.capability"); }
        catch (PosixException) { return null; }        // docker ignores a read error here too
        if (cap is { Length: > 20 } && cap[3] == 3)
        {
            cap = cap[..20];
            cap[3] = 2;
        }
        return cap;
    }

    /// <summary>Names of a directory in byte order (Go's sort.Strings over getdents names).</summary>
    static List<string> SortedNames(DirHandle dir)
    {
        var names = new List<(byte[] Key, string Name)>();
        using (var r = dir.Read())
        {
            while (r.Next(out var n, out _))
                names.Add((FileNames.Encode(n), n));
        }
        names.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return names.ConvertAll(x => x.Name);
    }

    static long TypeBits(FileKind k) => k switch
    {
        FileKind.Regular => TypeReg,
        FileKind.Directory => TypeDir,
        FileKind.Symlink => TypeLnk,
        FileKind.CharDevice => TypeChr,
        FileKind.BlockDevice => TypeBlk,
        FileKind.Fifo => TypeFifo,
        _ => 0,
    };

    // Linux's dev_t split (glibc gnu_dev_major/minor), as Go's archive/tar statUnix does it.
    static long Major(ulong dev) => (long)(((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000));
    static long Minor(ulong dev) => (long)((dev & 0xff) | ((dev >> 12) & 0xffffff00));
}
