/**
 * /me/order (me.json, not among the test specs): the account's orders, their status
 * (checking → delivering → delivered) and details, whose domain names the delivered service.
 */
import type { EmuRequest, Router } from '../engine/index.js';
import { ovhError } from './errors.js';
import { iso, price, total } from './order.js';
import type { OvhState } from './state.js';

const API = '/1.0';

export function registerMeOrder(router: Router, st: OvhState): void {
  router.on('GET', `${API}/me/order`, (req) => {
    const from = Date.parse(req.query.get('date.from') ?? '');
    return { status: 200, body: [...st.orders.values()].filter((o) => Number.isNaN(from) || o.date >= from).map((o) => o.orderId) };
  });
  const orderOf = (req: EmuRequest) => st.orders.get(Number(req.params.orderId)) ?? ovhError(404, `Order ${req.params.orderId} not found`);
  router.on('GET', `${API}/me/order/:orderId`, (req) => {
    const o = orderOf(req);
    if ('status' in o) return o;
    return { status: 200, body: { orderId: o.orderId, date: iso(o.date), expirationDate: iso(o.date + 15 * 86400_000), password: '', pdfUrl: '', url: `https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=${o.orderId}`, retractionDate: null, priceWithTax: price(total(o) * 1.2, 'EUR'), priceWithoutTax: price(total(o), 'EUR'), tax: price(total(o) * 0.2, 'EUR') } };
  });
  router.on('GET', `${API}/me/order/:orderId/status`, (req) => {
    const o = orderOf(req);
    return 'status' in o ? o : { status: 200, body: st.orderStatus(o) };
  });
  router.on('GET', `${API}/me/order/:orderId/details`, (req) => {
    const o = orderOf(req);
    return 'status' in o ? o : { status: 200, body: o.details.map((d) => d.detailId) };
  });
  router.on('GET', `${API}/me/order/:orderId/details/:detailId`, (req) => {
    const o = orderOf(req);
    if ('status' in o) return o;
    const d = o.details.find((x) => String(x.detailId) === req.params.detailId);
    if (!d) return ovhError(404, 'Detail not found');
    // The service name is known once the order is delivered; before that the detail's domain is "*".
    const domain = st.orderStatus(o) === 'delivered' ? d.serviceName : '*';
    return { status: 200, body: { orderDetailId: d.detailId, cartItemID: d.cartItemID, description: d.description, detailType: 'DURATION', domain, quantity: '1', totalPrice: price(d.monthly, 'EUR'), unitPrice: price(d.monthly, 'EUR'), originalTotalPrice: price(d.monthly, 'EUR'), reductionTotalPrice: price(0, 'EUR'), reductions: [] } };
  });
}
