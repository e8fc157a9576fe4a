package dev.docksmith.api;

/**
 * Which operations to list, newest first. Null fields do not filter. Immutable.
 *
 * @param container only this container's operations, or null for all
 * @param status    only operations in this status, or null for all
 * @param type      only operations of this type ({@code update}, {@code stop}, ...), or null for all
 * @param limit     at most this many, from 1 to {@link #MAX_LIMIT}
 */
public record OperationQuery(String container, OperationStatus status, String type, int limit) {
    /** The largest page a caller may ask for. */
    public static final int MAX_LIMIT = 1000;

    /**
     * Checks the limit.
     *
     * @param container only this container's operations, or null
     * @param status    only operations in this status, or null
     * @param type      only operations of this type, or null
     * @param limit     at most this many
     * @throws BadRequestException when {@code limit} is not between 1 and {@link #MAX_LIMIT}
     */
    public OperationQuery {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /**
     * Every operation, up to {@link #MAX_LIMIT}.
     *
     * @return a query with no filter and the largest limit
     */
    public static OperationQuery all() {
        return new OperationQuery(null, null, null, MAX_LIMIT);
    }

    /**
     * Whether an operation passes every filter (the limit is applied by the store).
     *
     * @param op an operation
     * @return true when it matches {@code container}, {@code status} and {@code type}
     */
    public boolean matches(Operation op) {
        return (container == null || container.equals(op.containerName()))
                && (status == null || status == op.status())
                && (type == null || type.equals(op.type()));
    }
}
