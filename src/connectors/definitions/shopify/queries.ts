/**
 * The GraphQL documents the connector sends to the Admin API, one per read, each paged with
 * `first`/`after` and `pageInfo { hasNextPage endCursor }`
 * (https://shopify.dev/docs/api/usage/pagination-graphql). One stable version for every request:
 * Shopify keeps each for a year, so moving on is a one-line change here.
 *
 * Costs (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits#cost-calculation): a
 * connection is 2 + `first` × its node's cost, an object 1, a scalar 0, and no single query may
 * cost more than 1,000. Orders ask for one money set only, 2 + 250 × 3 = 752: the current and the
 * original total together would cost 1,252 and be refused at `first: 250`.
 */
export const apiVersion = '2025-10';
export const graphqlPath = `/admin/api/${apiVersion}/graphql.json`;
export const pageSize = 250;

export interface GraphqlQuery {
  /** The operation's name, used in error messages. */
  operation: string;
  text: string;
  /** Where the connection being paged sits in `data`. */
  connection: string[];
}

const pageInfo = 'pageInfo { hasNextPage endCursor }';

/** Oldest change first, so each page's highest `updatedAt` is a safe point to resume from. */
export const ordersQuery: GraphqlQuery = {
  operation: 'Orders',
  connection: ['orders'],
  text: `query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes {
      id name createdAt updatedAt processedAt cancelledAt displayFinancialStatus displayFulfillmentStatus
      currentTotalPriceSet { shopMoney { amount currencyCode } }
    }
    ${pageInfo}
  }
}`,
};

export const productsQuery: GraphqlQuery = {
  operation: 'Products',
  connection: ['products'],
  text: `query Products($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { id title status vendor productType createdAt updatedAt }
    ${pageInfo}
  }
}`,
};

/** The shop's active locations (deactivated ones hold no stock). */
export const locationsQuery: GraphqlQuery = {
  operation: 'Locations',
  connection: ['locations'],
  text: `query Locations($first: Int!, $after: String) {
  locations(first: $first, after: $after) {
    nodes { id name }
    ${pageInfo}
  }
}`,
};

/** One location's inventory levels: 1 + 2 + 250 × 3 = 753. */
export const inventoryLevelsQuery: GraphqlQuery = {
  operation: 'InventoryLevels',
  connection: ['location', 'inventoryLevels'],
  text: `query InventoryLevels($location: ID!, $first: Int!, $after: String) {
  location(id: $location) {
    inventoryLevels(first: $first, after: $after) {
      nodes { id updatedAt item { id sku } quantities(names: ["available", "on_hand"]) { name quantity } }
      ${pageInfo}
    }
  }
}`,
};
