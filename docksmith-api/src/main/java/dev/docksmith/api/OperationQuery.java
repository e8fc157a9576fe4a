package dev.docksmith.api;

/**
 * Which operations to list, newest first. Null fields do not filter.
 *
 * @param container only this container's operations
 * @param status    only operations in this status
 * @param type      only operations of this type
 * @param limit     at most this many (greater than 0)
 */
public record OperationQuery(String container, OperationStatus status, String type, int limit) {
    /** The largest page a caller may ask for. */
    public static final int MAX_LIMIT = 1000;

    public OperationQuery {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Every operation, up to {@link #MAX_LIMIT}. */
    public static OperationQuery all() {
        return new OperationQuery(null, null, null, MAX_LIMIT);
    }

    /** True when {@code op} passes every filter (the limit is applied by the caller). */
    public boolean matches(Operation op) {
        return (container == null || container.equals(op.containerName()))
                && (status == null || status == op.status())
                && (type == null || type.equals(op.type()));
    }
}
