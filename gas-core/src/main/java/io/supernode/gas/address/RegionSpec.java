package io.supernode.gas.address;

import io.supernode.gas.fault.ConfigFault;

/**
 * What to map: a size, a placement, a page size (the interleaving and migration granularity),
 * permissions and a name for tools to print.
 *
 * @param name          shown by tools and faults
 * @param sizeBytes     the region's size; accesses past it fault
 * @param placement     where its pages live
 * @param pageSizeBytes a power of two of at least 4 KiB, or 0 for the machine's default
 * @param permissions   who may read and write it
 * @param accessMode    uncached (the default) or coherent
 */
public record RegionSpec(String name, long sizeBytes, Placement placement, long pageSizeBytes,
                         Permissions permissions, AccessMode accessMode) {

    /** Validates the spec; page size is checked against the machine when mapping. */
    public RegionSpec {
        if (sizeBytes <= 0) {
            throw new ConfigFault("region " + name + " needs a positive size, got " + sizeBytes);
        }
        if (placement == null || permissions == null || accessMode == null) {
            throw new ConfigFault("region " + name + " needs a placement, permissions and an access mode");
        }
        if (pageSizeBytes != 0 && (pageSizeBytes < 4096 || Long.bitCount(pageSizeBytes) != 1)) {
            throw new ConfigFault("region " + name + " page size must be a power of two >= 4096, got " + pageSizeBytes);
        }
    }

    /** A read-write region on the machine's default page size. */
    public static RegionSpec of(String name, long sizeBytes, Placement placement) {
        return new RegionSpec(name, sizeBytes, placement, 0, Permissions.readWrite(), AccessMode.UNCACHED);
    }

    /** This spec with another page size. */
    public RegionSpec withPageSize(long bytes) {
        return new RegionSpec(name, sizeBytes, placement, bytes, permissions, accessMode);
    }

    /** This spec with other permissions. */
    public RegionSpec withPermissions(Permissions p) {
        return new RegionSpec(name, sizeBytes, placement, pageSizeBytes, p, accessMode);
    }

    /** This spec with another access mode. */
    public RegionSpec withAccessMode(AccessMode mode) {
        return new RegionSpec(name, sizeBytes, placement, pageSizeBytes, permissions, mode);
    }
}
