import { buildSchema } from 'graphql';

/**
 * The part of Shopify's Admin GraphQL schema (2025-10) the sandbox serves: the shop, orders,
 * products, locations and their inventory levels, with the types, arguments and enums of the
 * reference (https://shopify.dev/docs/api/admin-graphql/2025-10/queries/orders, `…/queries/products`,
 * `…/queries/locations`, `…/objects/Location#field-Location.fields.inventoryLevels`,
 * `…/objects/InventoryLevel`). Connections page forwards (`first`, `after`); a field or argument
 * outside this subset is refused as GraphQL refuses any unknown one. The resolvers live in
 * `sandbox-graphql.ts`.
 */
export const adminSchema = buildSchema(/* GraphQL */ `
  scalar DateTime
  scalar Decimal

  enum CurrencyCode { CAD EUR GBP USD }
  enum OrderSortKeys { CREATED_AT ID PROCESSED_AT UPDATED_AT }
  enum ProductSortKeys { CREATED_AT ID TITLE UPDATED_AT }
  enum LocationSortKeys { ID NAME }
  enum ProductStatus { ACTIVE ARCHIVED DRAFT }
  enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
  enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
  enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT RESTOCKED SCHEDULED UNFULFILLED }

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
  type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

  type Shop { name: String! myshopifyDomain: String! currencyCode: CurrencyCode! ianaTimezone: String! }

  type Order {
    id: ID!
    name: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    processedAt: DateTime!
    cancelledAt: DateTime
    cancelReason: OrderCancelReason
    displayFinancialStatus: OrderDisplayFinancialStatus
    displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
    currentTotalPriceSet: MoneyBag!
    totalPriceSet: MoneyBag!
  }
  type OrderEdge { cursor: String! node: Order! }
  type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

  type Product { id: ID! title: String! handle: String! status: ProductStatus! vendor: String! productType: String! createdAt: DateTime! updatedAt: DateTime! }
  type ProductEdge { cursor: String! node: Product! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

  type InventoryItem { id: ID! sku: String tracked: Boolean! }
  type InventoryQuantity { name: String! quantity: Int! }
  type InventoryLevel { id: ID! createdAt: DateTime! updatedAt: DateTime! item: InventoryItem! location: Location! quantities(names: [String!]!): [InventoryQuantity!]! }
  type InventoryLevelEdge { cursor: String! node: InventoryLevel! }
  type InventoryLevelConnection { edges: [InventoryLevelEdge!]! nodes: [InventoryLevel!]! pageInfo: PageInfo! }

  type Location {
    id: ID!
    name: String!
    isActive: Boolean!
    inventoryLevels(first: Int, after: String, query: String, reverse: Boolean = false): InventoryLevelConnection!
  }
  type LocationEdge { cursor: String! node: Location! }
  type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

  type QueryRoot {
    shop: Shop!
    orders(first: Int, after: String, query: String, sortKey: OrderSortKeys = PROCESSED_AT, reverse: Boolean = false): OrderConnection!
    products(first: Int, after: String, query: String, sortKey: ProductSortKeys = ID, reverse: Boolean = false): ProductConnection!
    locations(first: Int, after: String, query: String, sortKey: LocationSortKeys = NAME, reverse: Boolean = false, includeInactive: Boolean = false): LocationConnection!
    "The shop's primary location when no id is given."
    location(id: ID): Location
  }

  schema { query: QueryRoot }
`);
